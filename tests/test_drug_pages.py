import re
from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from changelog.models import ChangeNote
from drugs.models import Frequency, NameKind, Seriousness, Severity, Substance, Topic
from publishing.models import Status
from publishing.shared_memo import forget_kept_values
from tests.factories import (
    make_article,
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_name,
    make_drug_reference,
    make_drug_use,
    make_interaction,
    make_precaution,
    make_published_drug,
    make_side_effect,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> (or block) that holds the heading with this id."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("drugs:index", {}, "/drugs/"),
        ("drugs:drug", {"slug": "azathioprine"}, "/drugs/azathioprine/"),
        ("drugs:class", {"slug": "nsaids"}, "/drug-classes/nsaids/"),
        ("drugs:condition", {"slug": "gout"}, "/conditions/gout/"),
        ("drugs:interactions", {}, "/interactions/"),
    ],
)
def test_urls_reverse_and_resolve(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


# --- A-Z index ---------------------------------------------------------------


def test_index_without_a_letter_lists_every_published_drug(client):
    drug = make_published_drug(generic_name="zolpidem")
    make_drug_name(drug, name="Ambien")
    make_drug(generic_name="zebrafish", status=Status.DRAFT)
    html = client.get("/drugs/").content.decode()
    assert '<a href="/drugs/zolpidem/">Zolpidem</a>' in html
    assert '<a href="/drugs/zolpidem/">Ambien</a>' in html
    assert "zebrafish" not in html.lower()


@pytest.mark.parametrize("letter", ["AB", "1", "<script>", "é", "%00", "Ä"])
def test_bad_letter_is_404_not_500(client, letter):
    assert client.get("/drugs/", {"letter": letter}).status_code == 404


# --- Visibility ---------------------------------------------------------------------


def test_draft_and_scheduled_drugs_are_404_to_readers_and_previewable_by_staff(client):
    draft = make_drug(generic_name="draftamine", status=Status.DRAFT)
    make_drug_name(draft, name="Drafto")
    scheduled = make_drug(status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1))
    for drug in [draft, scheduled]:
        assert client.get(drug.get_absolute_url()).status_code == 404
    assert client.get("/drugs/drafto/").status_code == 404

    client.force_login(make_staff())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    redirect = client.get("/drugs/drafto/")
    assert redirect.status_code == 302 and redirect["Location"] == draft.get_absolute_url()


def test_staff_without_the_view_permission_cannot_preview(client):
    draft = make_drug(status=Status.DRAFT)
    client.force_login(make_user(is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unpublished_drugs_appear_nowhere_public(client):
    drug_class, condition = make_drug_class(name="Statins"), make_condition(name="High cholesterol")
    shown = make_published_drug(generic_name="shownastatin")
    hidden = make_drug(generic_name="hiddenastatin", status=Status.DRAFT)
    for drug in [shown, hidden]:
        drug.classes.add(drug_class)
        make_drug_use(drug, condition=condition)
    make_interaction(shown, drug_b=hidden, severity=Severity.MAJOR, what_happens="Hidden pair.")
    pages = [
        "/drugs/",
        "/drugs/?letter=H",
        shown.get_absolute_url(),
        drug_class.get_absolute_url(),
        condition.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "hiddenastatin" not in response.content.decode().lower(), url
        assert "Hidden pair." not in response.content.decode(), url
    checker = client.get("/interactions/", {"drugs": "shownastatin,hiddenastatin"})
    assert checker.context["result"].unknown == ["hiddenastatin"]
    assert "Hidden pair." not in checker.content.decode()


# --- Drug page details without the demo ---------------------------------------------------


def test_side_effects_are_split_into_common_serious_and_other(client):
    drug = make_published_drug()
    make_side_effect(drug, name="headache", frequency=Frequency.VERY_COMMON)
    make_side_effect(drug, name="rash", frequency=Frequency.COMMON)
    make_side_effect(drug, name="liver damage", frequency=Frequency.RARE, seriousness=Seriousness.URGENT)
    make_side_effect(drug, name="hiccups", frequency=Frequency.UNCOMMON)
    make_side_effect(drug, name="low mood", frequency=Frequency.COMMON, seriousness=Seriousness.SEE_DOCTOR)
    context = client.get(drug.get_absolute_url()).context
    assert [e.name for e in context["common_side_effects"]] == ["headache", "rash"]
    assert [e.name for e in context["serious_side_effects"]] == ["liver damage", "low mood"]
    assert [e.name for e in context["other_side_effects"]] == ["hiccups"]


def test_precautions_are_grouped_by_topic_in_fixed_order(client):
    drug = make_published_drug()
    make_precaution(drug, topic=Topic.VACCINATION, text="No live vaccines.")
    make_precaution(drug, topic=Topic.PREGNANCY, text="Ask first.")
    make_precaution(drug, topic=Topic.PREGNANCY, text="Use contraception.")
    groups = client.get(drug.get_absolute_url()).context["precaution_groups"]
    assert [(label, [p.text for p in items]) for label, items in groups] == [
        ("Pregnancy", ["Ask first.", "Use contraception."]),
        ("Vaccination", ["No live vaccines."]),
    ]


def test_interactions_show_from_both_sides_and_through_a_class(client):
    maoi = make_drug_class(name="MAO inhibitors")
    first = make_published_drug(generic_name="firstamine")
    second = make_published_drug(generic_name="secondamine")
    member = make_published_drug(generic_name="phenelzine")
    member.classes.add(maoi)
    make_interaction(first, drug_b=second, severity=Severity.MINOR, what_happens="Pair.")
    make_interaction(first, drug_class=maoi, severity=Severity.CONTRAINDICATED, what_happens="Class.")
    make_interaction(first, substance=Substance.ALCOHOL, severity=Severity.MODERATE, what_happens="Alcohol.")

    rows = client.get(first.get_absolute_url()).context["interactions"]
    assert [(row["label"], row["interaction"].severity) for row in rows] == [
        ("MAO inhibitors", "contraindicated"),
        ("Alcohol", "moderate"),
        ("Secondamine", "minor"),
    ]
    assert [row["label"] for row in client.get(second.get_absolute_url()).context["interactions"]] == ["Firstamine"]
    member_rows = client.get(member.get_absolute_url()).context["interactions"]
    assert [(row["label"], row["url"]) for row in member_rows] == [("Firstamine", first.get_absolute_url())]


def test_only_published_articles_are_listed_on_the_drug_page(client):
    drug = make_published_drug()
    shown = make_article(drugs=[drug])
    draft = make_article(drugs=[drug], status=Status.DRAFT)
    html = section(client.get(drug.get_absolute_url()).content.decode(), "articles-heading")
    assert shown.get_absolute_url() in html
    assert draft.get_absolute_url() not in html


def test_user_text_is_escaped(client):
    drug = make_published_drug(summary="<script>alert(1)</script>", boxed_warning="<b>bold</b>")
    html = client.get(drug.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold" in html


# --- Class and condition pages ---------------------------------------------------------


def test_condition_page_lists_drugs_and_articles_that_reach_it_through_them(client):
    condition = make_condition(name="Gout")
    on_label = make_published_drug(generic_name="allopurinol")
    off_label = make_published_drug(generic_name="colchicine")
    make_drug_use(on_label, condition=condition)
    make_drug_use(off_label, condition=condition, on_label=False, note="Sometimes.")
    unrelated = make_published_drug()
    article = make_article(drugs=[on_label])
    other_article = make_article(drugs=[unrelated])
    response = client.get(condition.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert [use.drug for use in response.context["on_label_uses"]] == [on_label]
    assert [use.drug for use in response.context["off_label_uses"]] == [off_label]
    assert article.get_absolute_url() in html
    assert other_article.get_absolute_url() not in html
    assert response.context["breadcrumbs"][-1] == ("Gout", None)


# --- Query budgets: the same at N and 3N related rows -------------------------------

# Each includes the header and footer navigation's query, made when it is not cached (forgotten before measuring);
# the drug page also its public change notes (one query, however many).
BUDGETS = {"drug": 12, "index": 5, "class": 4, "condition": 5, "interactions": 5}


def grow(drug, drug_class, condition, n):
    """Give ``drug`` (and its class and condition) n more rows of every kind a page shows."""
    for _ in range(n):
        make_drug_name(drug, kind=NameKind.BRAND)
        extra_class = make_drug_class()
        drug.classes.add(extra_class)
        make_drug_use(drug)
        make_side_effect(drug, frequency=Frequency.COMMON)
        make_side_effect(drug, seriousness=Seriousness.URGENT)
        make_precaution(drug, topic=Topic.PREGNANCY)
        make_drug_reference(drug, url="https://example.org/")
        other = make_published_drug()
        make_drug_name(other)
        other.classes.add(drug_class, extra_class)
        make_drug_use(other, condition=condition)
        make_interaction(drug, drug_b=other)
        make_interaction(drug, drug_class=extra_class)
        make_interaction(other, drug_b=make_published_drug())
        make_article(drugs=[drug, other], tags=["Tag A", f"Tag {other.pk}"])


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_query_budget_does_not_grow_with_related_rows(client, django_assert_max_num_queries, page):
    drug = make_published_drug(generic_name="budgetamine")
    drug_class, condition = make_drug_class(), make_condition()
    drug.classes.add(drug_class)
    make_drug_use(drug, condition=condition)
    urls = {
        "drug": drug.get_absolute_url(),
        "index": "/drugs/",
        "class": drug_class.get_absolute_url(),
        "condition": condition.get_absolute_url(),
    }
    n = 3
    for size in (n, 3 * n):
        grow(drug, drug_class, condition, size - (n if size == 3 * n else 0))
        for k in range(size - (n if size == 3 * n else 0)):
            ChangeNote.objects.create(page=drug, summary=f"Change {size}-{k}", is_correction=k % 2 == 0)
        names = ",".join(d.slug for d in drug.classes.first().drugs.all()[:10])
        urls["interactions"] = f"/interactions/?drugs={names}"
        if size == n:
            client.get(urls[page])  # warm per-process caches (content types) as a running site has them
        forget_kept_values()
        with django_assert_max_num_queries(BUDGETS[page]):
            response = client.get(urls[page])
        assert response.status_code == 200
    if page == "drug":
        context = response.context
        assert len(context["interactions"]) >= 2 * 3 * n
        assert len(context["brand_names"]) == 3 * n
        assert len(context["serious_side_effects"]) == 3 * n
    if page == "interactions":
        assert response.context["result"].findings
