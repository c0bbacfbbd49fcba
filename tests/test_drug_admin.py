"""Editing drugs in the admin: one page with inlines, and interaction validation as form errors."""

import re
from html import unescape as html_unescape
from urllib.parse import urlencode

import pytest

from drugs.models import DrugName, Interaction, Severity, SideEffect, Substance
from publishing.models import Status
from tests.admin_helpers import add_row, change_url, errors_of, form_data
from tests.factories import make_drug, make_drug_class, make_drug_name, make_interaction, make_published_drug, sign_off

pytestmark = pytest.mark.django_db


def test_add_page_offers_every_inline(editor_client):
    html = editor_client.get("/admin/drugs/drug/add/").content.decode()
    for prefix in ["names", "uses", "side_effects", "precautions", "interactions", "references"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix


def test_drug_and_its_rows_are_edited_on_one_page(editor_client):
    drug = make_drug(generic_name="azathioprine")
    other = make_published_drug(generic_name="allopurinol")
    data = form_data(editor_client, change_url(drug))
    add_row(data, "names", name="Imuran", kind="brand", slug="")
    add_row(data, "side_effects", name="nausea", frequency="common", seriousness="mild", what_to_do="Eat first.")
    add_row(data, "precautions", topic="pregnancy", text="Ask your doctor.")
    add_row(data, "interactions", drug_b=str(other.pk), severity="major", what_happens="Builds up.")
    add_row(data, "references", title="FDA label", url="https://dailymed.nlm.nih.gov/", position="0")
    data.update(summary="An immunosuppressant.")
    response = editor_client.post(change_url(drug), data)
    assert response.status_code == 302, errors_of(response)
    # A medical reviewer signs off the text as saved; then it is published.
    sign_off(drug)
    response = editor_client.post(
        change_url(drug), {**form_data(editor_client, change_url(drug)), "_workflow": "published"}
    )
    assert response.status_code == 302, errors_of(response)

    drug.refresh_from_db()
    assert drug.status == Status.PUBLISHED and drug.published_at is not None
    assert DrugName.objects.get(drug=drug).slug == "imuran"
    assert SideEffect.objects.get(drug=drug).name == "nausea"
    assert drug.precautions.get().topic == "pregnancy"
    assert drug.references.get().title == "FDA label"
    interaction = Interaction.objects.get()
    # Stored lower id first: azathioprine was made first.
    assert (interaction.drug_a, interaction.drug_b) == (drug, other)


def test_a_pair_entered_from_the_higher_id_drug_moves_into_canonical_order(editor_client):
    first, second = make_published_drug(), make_drug()
    data = add_row(
        form_data(editor_client, change_url(second)),
        "interactions",
        drug_b=str(first.pk),
        severity="moderate",
        what_happens="Something.",
    )
    response = editor_client.post(change_url(second), data)
    assert response.status_code == 302, errors_of(response)
    interaction = Interaction.objects.get()
    assert (interaction.drug_a, interaction.drug_b) == (first, second)
    # Both drugs' pages show it: the second as a read-only row linking to the record.
    html = editor_client.get(change_url(second)).content.decode()
    assert f"/admin/drugs/interaction/{interaction.pk}/change/" in html


def test_an_interaction_with_itself_is_a_form_error(editor_client):
    drug = make_published_drug()
    data = add_row(
        form_data(editor_client, change_url(drug)),
        "interactions",
        drug_b=str(drug.pk),
        severity="major",
        what_happens="x",
    )
    response = editor_client.post(change_url(drug), data)
    assert "A drug cannot interact with itself" in errors_of(response)
    assert not Interaction.objects.exists()


def test_a_duplicate_pair_in_the_other_order_is_a_form_error(editor_client):
    first, second = make_published_drug(generic_name="alpha"), make_published_drug(generic_name="beta")
    make_interaction(first, drug_b=second)
    data = add_row(
        form_data(editor_client, change_url(second)),
        "interactions",
        drug_b=str(first.pk),
        severity="minor",
        what_happens="Again.",
    )
    response = editor_client.post(change_url(second), data)
    assert "An interaction between beta and alpha is already recorded" in errors_of(response)
    assert Interaction.objects.count() == 1


def test_a_duplicate_pair_in_the_same_order_is_a_form_error(editor_client):
    first, second = make_published_drug(), make_published_drug()
    make_interaction(first, drug_b=second)
    data = add_row(
        form_data(editor_client, change_url(first)),
        "interactions",
        drug_b=str(second.pk),
        severity="minor",
        what_happens="Again.",
    )
    response = editor_client.post(change_url(first), data)
    assert "already recorded" in errors_of(response)
    assert Interaction.objects.count() == 1


def test_the_same_pair_twice_in_one_submission_is_a_form_error(editor_client):
    drug, other = make_published_drug(), make_published_drug()
    data = form_data(editor_client, change_url(drug))
    for _ in range(2):
        add_row(data, "interactions", drug_b=str(other.pk), severity="minor", what_happens="Twice.")
    response = editor_client.post(change_url(drug), data)
    assert "entered twice" in errors_of(response)
    assert not Interaction.objects.exists()


def test_an_interaction_needs_exactly_one_other_side(editor_client):
    drug, other = make_published_drug(), make_published_drug()
    data = add_row(
        form_data(editor_client, change_url(drug)),
        "interactions",
        drug_b=str(other.pk),
        substance=Substance.ALCOHOL,
        severity="minor",
        what_happens="x",
    )
    response = editor_client.post(change_url(drug), data)
    assert "Choose exactly one of" in errors_of(response)
    assert not Interaction.objects.exists()


def test_class_and_substance_duplicates_are_form_errors(editor_client):
    drug, drug_class = make_published_drug(), make_drug_class()
    make_interaction(drug, drug_class=drug_class)
    data = add_row(
        form_data(editor_client, change_url(drug)),
        "interactions",
        drug_class=str(drug_class.pk),
        severity="minor",
        what_happens="Again.",
    )
    assert "with this class is already recorded" in errors_of(editor_client.post(change_url(drug), data))


def test_a_name_taken_by_another_drug_is_a_form_error(editor_client):
    make_drug_name(make_drug(), name="Imuran")
    drug = make_drug()
    data = add_row(form_data(editor_client, change_url(drug)), "names", name="imuran", kind="brand", slug="")
    assert "already recorded" in errors_of(editor_client.post(change_url(drug), data))
    data = form_data(editor_client, change_url(drug))
    add_row(data, "names", name="Azasan", kind="brand", slug="")
    add_row(data, "names", name="AZASAN", kind="brand", slug="azasan-2")
    assert "same name is entered twice" in errors_of(editor_client.post(change_url(drug), data))
    assert DrugName.objects.count() == 1


def test_reviewer_who_is_the_author_is_a_form_error(editor_client, editor):
    drug = make_drug(author=editor)
    data = form_data(editor_client, change_url(drug))
    data["reviewed_by"] = str(editor.pk)
    assert "reviewer cannot be the author" in errors_of(editor_client.post(change_url(drug), data))


def test_interaction_admin_refuses_self_and_reverse_duplicates(editor_client):
    first, second = make_published_drug(), make_published_drug()
    base = {"severity": Severity.MAJOR, "what_happens": "x", "substance": ""}
    response = editor_client.post("/admin/drugs/interaction/add/", {**base, "drug_a": first.pk, "drug_b": first.pk})
    assert "A drug cannot interact with itself" in str(response.context["adminform"].form.errors)
    make_interaction(first, drug_b=second)
    response = editor_client.post("/admin/drugs/interaction/add/", {**base, "drug_a": second.pk, "drug_b": first.pk})
    assert response.status_code == 200
    assert "already recorded" in str(response.context["adminform"].form.errors)
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("drug", "classes", "nsa", "NSAIDs"),
        ("druguse", "condition", "gou", "Gout"),
        ("interaction", "drug_b", "imur", "azathioprine"),
    ],
)
def test_autocomplete_finds_classes_conditions_and_drugs_by_any_name(
    editor_client, model_name, field_name, term, expected
):
    from tests.factories import make_condition

    make_drug_class(name="NSAIDs")
    make_condition(name="Gout")
    make_drug_name(make_drug(generic_name="azathioprine"), name="Imuran")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "drugs", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [expected]


def test_changelist_and_public_link(editor_client):
    drug = make_published_drug(generic_name="azathioprine")
    make_drug_name(drug, name="Imuran")
    html = editor_client.get("/admin/drugs/drug/").content.decode()
    assert "Imuran" in html and 'href="/drugs/azathioprine/"' in html


def test_the_interaction_picker_on_a_drug_page_leaves_out_that_drug(editor_client):
    drug = make_published_drug(generic_name="azathioprine")
    other = make_published_drug(generic_name="azasan-free")
    html = editor_client.get(change_url(drug)).content.decode()
    picker = re.search(r'<select[^>]*name="interactions-__prefix__-drug_b"[^>]*>', html).group(0)
    url = html_unescape(re.search(r'data-ajax--url="([^"]+)"', picker).group(1))
    assert url == f"/admin/autocomplete/?other_than={drug.pk}"
    query = {"app_label": "drugs", "model_name": "interaction", "field_name": "drug_b", "term": "aza"}
    # As select2 asks: the box's address with the search added to its query string.
    offered = editor_client.get(f"{url}&{urlencode(query)}").json()["results"]
    assert [row["text"] for row in offered] == [str(other)]
    # The same box elsewhere (or without the parameter) offers every drug.
    everyone = editor_client.get("/admin/autocomplete/", query).json()["results"]
    assert sorted(row["text"] for row in everyone) == sorted([str(drug), str(other)])


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "²"])
def test_a_bad_other_than_value_is_ignored(editor_client, value):
    make_published_drug(generic_name="azathioprine")
    query = {"app_label": "drugs", "model_name": "interaction", "field_name": "drug_b", "term": "aza"}
    query["other_than"] = value
    response = editor_client.get("/admin/autocomplete/", query)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
