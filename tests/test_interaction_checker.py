"""The interaction checker at /interactions/, on the demo drugs (loaded once for the module)."""

import pytest
from django.db import transaction

from demo import drugs as drug_demo
from drugs.models import Drug, DrugClass, Severity
from drugs.selectors import MAX_DRUGS
from tests.factories import make_drug, make_published_drug, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        drug_demo.load(author=make_user())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def check(client, *names, **params):
    params = params or {"drugs": ",".join(names)}
    return client.get("/interactions/", params)


def pairs(response):
    return [
        (finding.first.generic_name, [drug.generic_name for drug in finding.second], finding.interaction.severity)
        for finding in response.context["result"].findings
    ]


@pytest.mark.parametrize(
    "names",
    [
        ("azathioprine", "allopurinol"),
        ("allopurinol", "azathioprine"),
        ("Imuran", "allopurinol"),
        ("allopurinol", "IMURAN"),
        ("  azasan ", "Allopurinol"),
    ],
)
def test_finds_azathioprine_and_allopurinol_in_either_order_and_by_brand(client, names):
    response = check(client, *names)
    assert response.status_code == 200
    assert pairs(response) == [("azathioprine", ["allopurinol"], Severity.MAJOR)]
    html = response.content.decode()
    assert "substantially reduced" in html
    assert "No known interaction" not in html


def test_one_text_input_per_drug_works_too(client):
    response = check(client, drug=["Imuran", "", "allopurinol"])
    assert pairs(response) == [("azathioprine", ["allopurinol"], Severity.MAJOR)]
    html = response.content.decode()
    assert 'name="drug" value="Imuran"' in html and 'name="drug" value="allopurinol"' in html


def test_every_interaction_among_several_drugs_worst_first(client):
    response = check(client, "warfarin", "allopurinol", "Imuran", "febuxostat", "Motrin")
    severities = [severity for _, _, severity in pairs(response)]
    assert severities == sorted(severities, key=lambda value: Severity(value).rank)
    found = {(first, tuple(second)) for first, second, _ in pairs(response)}
    assert {
        ("azathioprine", ("febuxostat",)),
        ("azathioprine", ("allopurinol",)),
        ("azathioprine", ("warfarin",)),
        ("ibuprofen", ("warfarin",)),
    } <= found
    assert severities[0] == Severity.CONTRAINDICATED
    substances = response.context["result"].substance_interactions
    assert [i.get_substance_display() for i in substances] == ["Live vaccines"]


def test_interaction_with_a_class_applies_to_its_members(client):
    phenelzine = make_published_drug(generic_name="phenelzine")
    phenelzine.classes.add(DrugClass.objects.get(slug="mao-inhibitors"))
    response = check(client, "amitriptyline", "phenelzine")
    assert pairs(response) == [("amitriptyline", ["phenelzine"], Severity.CONTRAINDICATED)]
    assert "MAO inhibitors (phenelzine)" in response.content.decode()


def test_no_known_interaction_says_so_plainly(client):
    response = check(client, "lidocaine", "allopurinol")
    assert response.status_code == 200
    assert pairs(response) == []
    assert "No known interaction in our records" in response.content.decode()


def test_empty_form_shows_no_result_and_no_error(client):
    for params in [{}, {"drugs": ""}, {"drugs": " , ,"}, {"drug": ["", ""]}]:
        response = client.get("/interactions/", params)
        assert response.status_code == 200
        result = response.context["result"]
        assert not result.errors and not result.checked
        assert response.content.decode().count("<h1") == 1


def test_unknown_names_are_named_back(client):
    response = check(client, "azathioprine", "notarealdrug")
    assert response.status_code == 200
    assert response.context["result"].unknown == ["notarealdrug"]
    html = response.content.decode()
    assert "We could not find “notarealdrug”" in html
    assert "at least two drugs we know" in html


def test_one_drug_is_not_enough(client):
    response = check(client, "azathioprine")
    assert response.status_code == 200
    assert "Choose at least two different drugs" in response.content.decode()


def test_the_same_drug_twice_is_checked_once(client):
    response = check(client, "Imuran", "azathioprine", "AZATHIOPRINE")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Imuran and azathioprine are names of the same drug" in html
    assert "Choose at least two different drugs" in html
    assert not response.context["result"].checked


def test_too_many_names_is_a_400_with_a_message(client):
    response = check(client, *[f"drug{i}" for i in range(500)])
    assert response.status_code == 400
    assert f"Choose at most {MAX_DRUGS} drugs" in response.content.decode()


def test_the_cap_allows_exactly_the_maximum(client):
    names = list(Drug.objects.published().values_list("generic_name", flat=True)[:MAX_DRUGS])
    assert len(names) == MAX_DRUGS
    assert check(client, *names).status_code == 200


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "'; DROP TABLE drugs_drug; --",
        "aza\x00thioprine",
        "x" * 5000,
        "%",
        "{{ settings.SECRET_KEY }}",
        "\u202eevil",
    ],
)
def test_hostile_input_is_refused_cleanly(client, hostile):
    response = check(client, "azathioprine", hostile)
    assert response.status_code == 400
    html = response.content.decode()
    assert "does not look like a drug name" in html
    assert "<script>alert(1)</script>" not in html
    assert "\x00" not in html
    assert Drug.objects.filter(generic_name="azathioprine").exists()


def test_unpublished_drugs_cannot_be_checked(client):
    make_drug(generic_name="secretamine")
    response = check(client, "azathioprine", "secretamine")
    assert response.context["result"].unknown == ["secretamine"]


def test_drug_page_links_to_the_checker(client):
    html = client.get("/drugs/azathioprine/").content.decode()
    assert 'href="/interactions/?drugs=azathioprine"' in html
