import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from demo import drugs as demo
from drugs.models import (
    Condition,
    Drug,
    DrugClass,
    DrugName,
    DrugReference,
    DrugUse,
    Frequency,
    Interaction,
    Precaution,
    Severity,
    SideEffect,
    Substance,
    Topic,
)
from publishing.models import Status
from tests.factories import (
    make_drug,
    make_drug_class,
    make_drug_name,
    make_interaction,
    make_published_drug,
    make_user,
)

pytestmark = pytest.mark.django_db


def integrity_error(callable_):
    """The database refuses the write; the savepoint lets the test go on querying."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


# --- Drug ---------------------------------------------------------------


def test_published_means_the_same_as_for_articles():
    now = timezone.now()
    shown = make_published_drug()
    make_drug(status=Status.DRAFT)
    make_drug(status=Status.IN_REVIEW)
    make_drug(status=Status.UNPUBLISHED, published_at=now - timedelta(days=1))
    make_drug(status=Status.PUBLISHED, published_at=now + timedelta(days=1))
    assert list(Drug.objects.published()) == [shown]
    assert type(Drug.objects.published()).published is type(Article.objects.published()).published


def test_publishing_without_a_time_sets_it_to_now():
    drug = make_drug(status=Status.PUBLISHED)
    assert drug.published_at is not None
    assert drug.is_public


def test_generic_name_is_unique_whatever_its_case():
    make_drug(generic_name="azathioprine")
    integrity_error(lambda: make_drug(generic_name="Azathioprine", slug="azathioprine-2"))


def test_reviewer_cannot_be_the_author():
    user = make_user()
    integrity_error(lambda: make_drug(author=user, reviewed_by=user))
    drug = make_drug(author=user, reviewed_by=make_user())
    assert drug.pk


def test_reviewer_is_author_is_a_form_error_not_a_crash():
    user = make_user()
    drug = Drug(generic_name="x", slug="x", author=user, reviewed_by=user)
    with pytest.raises(ValidationError, match="reviewer cannot be the author"):
        drug.full_clean()


def test_next_review_must_come_after_the_last():
    integrity_error(lambda: make_drug(last_reviewed=date(2026, 5, 1), next_review_due=date(2026, 4, 1)))


@pytest.mark.parametrize("code", ["L04AX01", "M01AE01"])
def test_valid_atc_codes_pass(code):
    Drug(generic_name="x", slug="x", atc_code=code, author=make_user()).full_clean()


@pytest.mark.parametrize("code", ["L04AX1", "l04ax01", "L04-X01", "1234567"])
def test_bad_atc_codes_are_refused_by_form_and_database(code):
    with pytest.raises(ValidationError) as excinfo:
        Drug(generic_name="x", slug="x", atc_code=code).full_clean()
    assert "atc_code" in excinfo.value.error_dict
    integrity_error(lambda: make_drug(atc_code=code))


@pytest.mark.parametrize("rxcui", ["12a4", "-5", "12345678901"])
def test_bad_rxcui_is_refused(rxcui):
    with pytest.raises(ValidationError) as excinfo:
        Drug(generic_name="x", slug="x", rxcui=rxcui).full_clean()
    assert "rxcui" in excinfo.value.error_dict


def test_rxcui_is_unique_but_may_be_left_empty():
    make_drug(rxcui="1256")
    make_drug(rxcui="")
    make_drug(rxcui="")
    integrity_error(lambda: make_drug(rxcui="1256"))


# --- Names --------------------------------------------------------------


def test_names_are_unique_whatever_their_case():
    make_drug_name(make_drug(), name="Imuran")
    integrity_error(lambda: make_drug_name(make_drug(), name="IMURAN", slug="imuran-2"))


def test_name_slug_is_derived_from_the_name():
    assert make_drug_name(make_drug(), name="MS Contin").slug == "ms-contin"


def test_a_name_cannot_be_another_drugs_generic_name():
    make_drug(generic_name="ibuprofen")
    name = DrugName(drug=make_drug(), name="Ibuprofen")
    with pytest.raises(ValidationError, match="generic name or address of another drug"):
        name.full_clean()


def test_a_generic_name_cannot_be_another_drugs_brand_name():
    make_drug_name(make_drug(), name="Imuran")
    with pytest.raises(ValidationError, match="another name of a different drug"):
        Drug(generic_name="imuran", slug="imuran-x").full_clean()
    with pytest.raises(ValidationError, match="already uses this address"):
        Drug(generic_name="imuranol", slug="imuran").full_clean()


# --- Interactions --------------------------------------------------------


def test_a_pair_is_stored_lower_id_first_whichever_side_it_was_entered_from():
    first, second = make_published_drug(), make_published_drug()
    interaction = make_interaction(second, drug_b=first)
    interaction.refresh_from_db()
    assert (interaction.drug_a_id, interaction.drug_b_id) == (first.pk, second.pk)


def test_a_pair_cannot_be_stored_twice_in_either_order():
    first, second = make_published_drug(), make_published_drug()
    make_interaction(first, drug_b=second)
    integrity_error(lambda: make_interaction(first, drug_b=second))
    integrity_error(lambda: make_interaction(second, drug_b=first))
    assert Interaction.objects.count() == 1


def test_the_database_refuses_a_pair_in_the_wrong_order():
    first, second = make_published_drug(), make_published_drug()
    # bulk_create skips save(), so only the database stands in the way.
    integrity_error(
        lambda: Interaction.objects.bulk_create(
            [Interaction(drug_a=second, drug_b=first, severity=Severity.MINOR, what_happens="x")]
        )
    )


def test_a_drug_cannot_interact_with_itself():
    drug = make_published_drug()
    integrity_error(lambda: make_interaction(drug, drug_b=drug))
    interaction = Interaction(drug_a=drug, drug_b=drug, severity=Severity.MINOR, what_happens="x")
    with pytest.raises(ValidationError, match="cannot interact with itself"):
        interaction.full_clean()


def test_duplicate_pair_is_a_validation_error_in_either_order():
    first, second = make_published_drug(), make_published_drug()
    make_interaction(first, drug_b=second)
    for a, b in [(first, second), (second, first)]:
        with pytest.raises(ValidationError, match="already recorded"):
            Interaction(drug_a=a, drug_b=b, severity=Severity.MINOR, what_happens="x").full_clean()


def test_an_interaction_has_exactly_one_other_side():
    drug, other = make_published_drug(), make_published_drug()
    integrity_error(lambda: make_interaction(drug, drug_b=other, substance=Substance.ALCOHOL))
    integrity_error(lambda: Interaction.objects.create(drug_a=drug, severity=Severity.MINOR, what_happens="x"))
    with pytest.raises(ValidationError, match="exactly one"):
        Interaction(drug_a=drug, severity=Severity.MINOR, what_happens="x").full_clean()


def test_class_and_substance_interactions_are_once_per_drug():
    drug, drug_class = make_published_drug(), make_drug_class()
    make_interaction(drug, drug_class=drug_class)
    make_interaction(drug, substance=Substance.ALCOHOL)
    integrity_error(lambda: make_interaction(drug, drug_class=drug_class))
    integrity_error(lambda: make_interaction(drug, substance=Substance.ALCOHOL))
    # Another drug may have the same class or substance interaction.
    make_interaction(make_published_drug(), substance=Substance.ALCOHOL)


def test_severity_orders_worst_first():
    drug = make_published_drug()
    for severity in [Severity.MINOR, Severity.CONTRAINDICATED, Severity.MODERATE, Severity.MAJOR]:
        make_interaction(drug, severity=severity)
    assert [i.severity for i in Interaction.objects.all()] == [
        Severity.CONTRAINDICATED,
        Severity.MAJOR,
        Severity.MODERATE,
        Severity.MINOR,
    ]
    assert Severity.CONTRAINDICATED.rank < Severity.MAJOR.rank < Severity.MINOR.rank


def test_other_side_is_seen_from_either_drug_and_from_a_class_member():
    drug_class = make_drug_class(name="MAO inhibitors")
    first, second = make_published_drug(generic_name="alpha"), make_published_drug(generic_name="beta")
    member = make_published_drug(generic_name="gamma")
    member.classes.add(drug_class)
    pair = make_interaction(first, drug_b=second)
    by_class = make_interaction(first, drug_class=drug_class)
    assert pair.other_side(first)[0] == "Beta"
    assert pair.other_side(second)[0] == "Alpha"
    assert by_class.other_side(first)[0] == "MAO inhibitors"
    assert by_class.other_side(member)[0] == "Alpha"
    assert set(Interaction.objects.involving(member)) == {by_class}


def test_frequency_bands_and_labels():
    assert Frequency.VERY_COMMON.label.startswith("Very common (more than 1 in 10")
    assert "up to 1 in 1,000" in Frequency.RARE.label
    assert [band.rank for band in Frequency] == sorted(band.rank for band in Frequency)
    assert Frequency.COMMON.is_common and not Frequency.NOT_KNOWN.is_common


def test_side_effects_and_precautions_sort_by_band_and_topic():
    drug = make_drug()
    for band in [Frequency.NOT_KNOWN, Frequency.VERY_COMMON, Frequency.RARE]:
        SideEffect.objects.create(drug=drug, name=band.value, frequency=band)
    assert [e.frequency for e in drug.side_effects.all()] == ["very_common", "rare", "not_known"]
    for topic in [Topic.VACCINATION, Topic.PREGNANCY, Topic.INFECTION]:
        Precaution.objects.create(drug=drug, topic=topic, text="x")
    assert [p.topic for p in drug.precautions.all()] == ["pregnancy", "infection", "vaccination"]


def test_a_use_is_recorded_once_per_condition():
    drug, condition = make_drug(), Condition.objects.create(name="Gout", slug="gout")
    DrugUse.objects.create(drug=drug, condition=condition)
    integrity_error(lambda: DrugUse.objects.create(drug=drug, condition=condition, on_label=False))


def test_every_model_has_a_readable_str():
    drug = make_drug(generic_name="azathioprine")
    drug_class = make_drug_class(name="NSAIDs")
    assert str(drug) == "azathioprine"
    assert str(drug_class) == "NSAIDs"
    assert str(make_drug_name(drug, name="Imuran")) == "Imuran"
    assert str(make_interaction(drug, substance=Substance.LIVE_VACCINES)) == "azathioprine + Live vaccines"
    assert str(DrugReference(title="Label")) == "Label"
    assert drug.get_absolute_url() == "/drugs/azathioprine/"
    assert drug_class.get_absolute_url() == "/drug-classes/nsaids/"


# --- Demo content --------------------------------------------------------

DEMO_MODELS = [Drug, DrugName, DrugClass, Condition, DrugUse, SideEffect, Precaution, Interaction, DrugReference]


def snapshot():
    rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in DEMO_MODELS}
    rows["drug_updated"] = sorted(Drug.objects.values_list("pk", "updated_at"))
    return rows


def test_demo_load_is_idempotent():
    author = make_user()
    demo.load(author=author)
    before = snapshot()
    demo.load(author=author)
    assert snapshot() == before
    assert before["Interaction"], "the demo has interactions"


def test_demo_has_the_drugs_articles_link_to_published_with_a_fixed_date():
    demo.load(author=make_user())
    needed = [
        "azathioprine",
        "ibuprofen",
        "naproxen",
        "amitriptyline",
        "morphine",
        "gabapentin",
        "pregabalin",
        "lidocaine",
        "cyclobenzaprine",
        "baclofen",
    ]
    drugs = {drug.generic_name: drug for drug in Drug.objects.published().filter(generic_name__in=needed)}
    assert sorted(drugs) == sorted(needed)
    assert all(drug.slug == drug.generic_name for drug in drugs.values())
    assert {drug.published_at for drug in drugs.values()} == {demo.PUBLISHED_AT}


@pytest.mark.parametrize(
    ("brand", "generic"), [("Imuran", "azathioprine"), ("Azasan", "azathioprine"), ("Motrin", "ibuprofen"),
                           ("Naprelan", "naproxen")]
)  # fmt: skip
def test_demo_brand_names_resolve_to_their_generic_drug(brand, generic):
    demo.load(author=make_user())
    assert DrugName.objects.get(name__iexact=brand).drug.generic_name == generic


def test_demo_drugs_each_cite_the_fda_label():
    demo.load(author=make_user())
    for drug in Drug.objects.prefetch_related("references"):
        urls = [ref.url for ref in drug.references.all()]
        assert any(url.startswith("https://dailymed.nlm.nih.gov/") for url in urls), drug


def test_demo_text_gives_no_doses_or_percentages():
    demo.load(author=make_user())
    texts = []
    for drug in Drug.objects.all():
        texts += [drug.summary, drug.mechanism, drug.absorption, drug.metabolism, drug.excretion, drug.boxed_warning]
    texts += list(SideEffect.objects.values_list("what_to_do", flat=True))
    texts += list(Precaution.objects.values_list("text", flat=True))
    texts += list(Interaction.objects.values_list("what_happens", flat=True))
    texts += list(Interaction.objects.values_list("what_to_do", flat=True))
    dose = re.compile(r"\d+(\.\d+)?\s*(%|mg|mcg|µg|g\b|ml\b|percent)", re.IGNORECASE)
    offending = [text for text in texts if dose.search(text)]
    assert offending == []


def test_demo_azathioprine_interactions():
    demo.load(author=make_user())
    azathioprine = Drug.objects.get(generic_name="azathioprine")
    found = {
        interaction.other_side(azathioprine)[0]: interaction.severity
        for interaction in Interaction.objects.involving(azathioprine)
    }
    assert found["Allopurinol"] == Severity.MAJOR
    assert found["Febuxostat"] == Severity.CONTRAINDICATED
    assert "Warfarin" in found
    assert found["Live vaccines"] == Severity.MAJOR
