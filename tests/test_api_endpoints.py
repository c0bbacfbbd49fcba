"""The read API's endpoints: their fields, their filters, and that only what readers may see ever appears.

Every answer goes through ``get_json``, which fails when the body does not
match the OpenAPI schema the API publishes for that status.
"""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from articles.models import TagAlias
from drugs.models import Frequency, NameKind, Seriousness, Severity, Substance, Topic
from publishing.models import Status
from search.indexing import reindex_all
from tests.api_helpers import get_json
from tests.factories import (
    make_article,
    make_category,
    make_condition,
    make_drug_class,
    make_drug_name,
    make_drug_reference,
    make_drug_use,
    make_image,
    make_interaction,
    make_precaution,
    make_published_drug,
    make_reference,
    make_reviewer,
    make_side_effect,
    make_user,
)

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"status": Status.DRAFT},
    "in-review": {"status": Status.IN_REVIEW},
    "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    "unpublished": {"status": Status.UNPUBLISHED},
}


def slugs(data) -> list[str]:
    return [item["slug"] for item in data["items"]]


# --- Articles ------------------------------------------------------------------------------


def test_article_detail_has_body_category_trail_tags_drugs_references_and_review(client):
    top = make_category(name="Medicines")
    pain = make_category(name="Pain relief", parent=top)
    drug = make_published_drug(generic_name="azathioprine")
    hidden_drug = make_published_drug(generic_name="secretdrug", status=Status.DRAFT)
    reviewer = make_reviewer(first_name="Ada", last_name="Lovelace")
    article = make_article(
        title="Imuran basics", category=pain, tags=["Liver", "azathioprine"], drugs=[drug, hidden_drug]
    )
    article.reviewed_by, article.last_reviewed, article.next_review_due = reviewer, date(2026, 1, 2), date(2027, 1, 2)
    article.save()
    make_reference(article, title="Label", publisher="FDA", year=2024, url="https://example.org/label")

    data = get_json(client, f"/api/v1/articles/{article.slug}/")

    assert data["title"] == "Imuran basics" and data["url"] == "/articles/imuran-basics/"
    assert data["body_html"] == article.body and data["summary"] == article.summary
    assert data["category"] == {"name": "Pain relief", "slug": "pain-relief"}
    assert [crumb["slug"] for crumb in data["category_trail"]] == ["medicines", "pain-relief"]
    assert [tag["name"] for tag in data["tags"]] == ["azathioprine", "Liver"]
    assert data["drugs"] == [{"name": "azathioprine", "slug": "azathioprine"}]
    assert data["references"] == [
        {"title": "Label", "publisher": "FDA", "year": 2024, "url": "https://example.org/label", "accessed": None}
    ]
    assert data["review"] == {
        "reviewer": "Ada Lovelace",
        "credentials": "MD (test account)",
        "last_reviewed": "2026-01-02",
        "next_review_due": "2027-01-02",
    }


def test_an_unreviewed_article_says_so(client):
    article = make_article()
    assert get_json(client, f"/api/v1/articles/{article.slug}/")["review"] is None


def test_article_list_is_newest_first_with_cards(client):
    now = timezone.now()
    old = make_article(title="Old", published_at=now - timedelta(days=2), tags=["Liver"])
    new = make_article(title="New", published_at=now - timedelta(days=1))

    data = get_json(client, "/api/v1/articles/")

    assert slugs(data) == [new.slug, old.slug]
    assert data["next_cursor"] is None
    card = data["items"][1]
    assert card["tags"] == [{"name": "Liver", "slug": "liver"}]
    assert card["category"]["slug"] == old.category.slug
    assert "body_html" not in card


def test_articles_filter_by_category_including_subcategories(client):
    top = make_category(name="Top")
    child = make_category(name="Child", parent=top)
    other = make_category(name="Other")
    in_top, in_child = make_article(category=top), make_article(category=child)
    make_article(category=other)

    assert set(slugs(get_json(client, "/api/v1/articles/?category=top"))) == {in_top.slug, in_child.slug}
    assert slugs(get_json(client, "/api/v1/articles/?category=child")) == [in_child.slug]


def test_articles_filter_by_tag_counts_an_alias_as_its_main_tag(client):
    main_tagged = make_article(tags=["Azathioprine"])
    alias_tagged = make_article(tags=["Imuran"])
    make_article(tags=["Liver"])
    TagAlias.objects.create(tag=Tag.objects.get(name="Imuran"), main=Tag.objects.get(name="Azathioprine"))
    group = {main_tagged.slug, alias_tagged.slug}

    assert set(slugs(get_json(client, "/api/v1/articles/?tag=imuran"))) == group
    assert set(slugs(get_json(client, "/api/v1/articles/?tag=azathioprine"))) == group
    assert slugs(get_json(client, "/api/v1/articles/?tag=liver")) != []


def test_articles_filter_by_drug_slug_or_brand_name(client):
    drug = make_published_drug(generic_name="azathioprine")
    make_drug_name(drug, name="Imuran", slug="imuran")
    about = make_article(drugs=[drug])
    make_article()

    assert slugs(get_json(client, "/api/v1/articles/?drug=azathioprine")) == [about.slug]
    assert slugs(get_json(client, "/api/v1/articles/?drug=imuran")) == [about.slug]


def test_articles_filter_by_updated_since(client):
    old, recent = make_article(), make_article()
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    assert slugs(get_json(client, f"/api/v1/articles/?updated_since={since}")) == [recent.slug]


@pytest.mark.parametrize(
    "query, field",
    [("category=nope", "category"), ("tag=nope", "tag"), ("drug=nope", "drug"), ("colour=red", "colour")],
)
def test_unknown_filter_values_and_parameters_answer_400_naming_them(client, query, field):
    data = get_json(client, f"/api/v1/articles/?{query}", status=400)
    assert field in data["detail"]


# --- Visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", HIDDEN_STATES.values(), ids=HIDDEN_STATES.keys())
def test_hidden_articles_and_drugs_never_appear_whatever_the_query(state):
    category = make_category(name="Liver health")
    public_drug = make_published_drug(generic_name="publicdrug")
    hidden_drug = make_published_drug(generic_name="secretdrug", **state)
    make_drug_name(hidden_drug, name="Secretbrand", slug="secretbrand")
    make_interaction(public_drug, drug_b=hidden_drug, what_happens="Secret interaction")
    hidden = make_article(
        title="Secret article", category=category, tags=["Secrettag", "Liver"], drugs=[public_drug], **state
    )
    make_article(title="Public article", category=category, tags=["Liver"], drugs=[public_drug])
    reindex_all()
    # A superuser's session changes nothing: the API has no preview.
    anonymous, superuser = Client(), Client()
    superuser.force_login(make_user(is_staff=True, is_superuser=True))
    lists = [
        "/api/v1/articles/",
        "/api/v1/articles/?category=liver-health",
        "/api/v1/articles/?tag=liver",
        "/api/v1/articles/?drug=publicdrug",
        "/api/v1/tags/",
        "/api/v1/drugs/",
        "/api/v1/drug-classes/",
        "/api/v1/conditions/",
        "/api/v1/drugs/publicdrug/",
        "/api/v1/search/?q=secret",
        "/api/v1/search/?q=article",
    ]
    for client in (anonymous, superuser):
        for url in lists:
            body = client.get(url).content.decode()
            assert "Secret" not in body and "secret" not in body, url
        for url in (
            f"/api/v1/articles/{hidden.slug}/",
            f"/api/v1/drugs/{hidden_drug.slug}/",
            "/api/v1/drugs/secretbrand/",
        ):
            get_json(client, url, status=404)
        for url in ("/api/v1/articles/?tag=secrettag", "/api/v1/articles/?drug=secretdrug"):
            get_json(client, url, status=400)
        check = get_json(client, "/api/v1/interactions/?drugs=publicdrug,secretdrug", status=400)
        assert "two drugs we know" in check["detail"]


# --- Categories and tags -------------------------------------------------------------------------


def test_categories_come_as_a_tree(client):
    top = make_category(name="Medicines", position=1)
    make_category(name="Pain relief", parent=top)
    make_category(name="Allergy", position=0)

    data = get_json(client, "/api/v1/categories/")

    assert [node["slug"] for node in data] == ["allergy", "medicines"]
    assert [child["slug"] for child in data[1]["children"]] == ["pain-relief"]
    assert data[1]["url"] == "/category/medicines/"


def test_tags_list_public_tags_with_their_aliases(client):
    make_article(tags=["Azathioprine", "Imuran", "Liver"])
    make_article(tags=["Draftonly"], status=Status.DRAFT)
    TagAlias.objects.create(tag=Tag.objects.get(name="Imuran"), main=Tag.objects.get(name="Azathioprine"))

    items = {item["slug"]: item for item in get_json(client, "/api/v1/tags/")["items"]}

    assert list(items) == ["azathioprine", "imuran", "liver"]
    assert items["azathioprine"]["aliases"] == [{"name": "Imuran", "slug": "imuran"}]
    assert items["imuran"]["main"] == {"name": "Azathioprine", "slug": "azathioprine"}
    assert items["liver"] == {"name": "Liver", "slug": "liver", "main": None, "aliases": []}


# --- Drugs -----------------------------------------------------------------------------------------


@pytest.fixture
def azathioprine():
    drug = make_published_drug(
        generic_name="azathioprine",
        summary="An immunosuppressant.",
        mechanism="Blocks purine synthesis.",
        absorption="Well absorbed.",
        metabolism="To mercaptopurine.",
        excretion="In urine.",
        boxed_warning="Malignancy.",
        rxcui="1256",
        atc_code="L04AX01",
    )
    make_drug_name(drug, name="Imuran", kind=NameKind.BRAND)
    make_drug_name(drug, name="Azathioprin", kind=NameKind.GENERIC)
    drug.classes.add(make_drug_class(name="Immunosuppressants"))
    make_drug_use(drug, condition=make_condition(name="Rheumatoid arthritis"), note="Second line.")
    make_drug_use(drug, condition=make_condition(name="Crohn disease"), on_label=False)
    make_side_effect(drug, name="nausea", frequency=Frequency.VERY_COMMON)
    make_side_effect(drug, name="infection", frequency=Frequency.COMMON, seriousness=Seriousness.SEE_DOCTOR)
    make_side_effect(drug, name="pancreatitis", frequency=Frequency.RARE, seriousness=Seriousness.URGENT)
    make_precaution(drug, topic=Topic.PREGNANCY, text="Talk to your doctor.")
    make_precaution(drug, topic=Topic.LIVER, text="Liver tests.")
    make_interaction(drug, drug_b=make_published_drug(generic_name="allopurinol"), severity=Severity.MAJOR)
    make_interaction(drug, substance=Substance.LIVE_VACCINES, severity=Severity.CONTRAINDICATED)
    make_interaction(drug, drug_b=make_published_drug(generic_name="hiddenpartner", status=Status.DRAFT))
    make_drug_reference(drug, title="Label")
    return drug


def test_drug_monograph_has_every_part(client, azathioprine):
    data = get_json(client, "/api/v1/drugs/azathioprine/")

    assert data["generic_name"] == "azathioprine" and data["url"] == "/drugs/azathioprine/"
    assert data["names"] == [
        {"name": "Imuran", "kind": "brand", "slug": "imuran"},
        {"name": "Azathioprin", "kind": "generic", "slug": "azathioprin"},
    ]
    assert data["classes"] == [{"name": "Immunosuppressants", "slug": "immunosuppressants"}]
    assert data["pharmacokinetics"] == {
        "absorption": "Well absorbed.",
        "metabolism": "To mercaptopurine.",
        "excretion": "In urine.",
    }
    assert (data["mechanism"], data["boxed_warning"], data["rxcui"], data["atc_code"]) == (
        "Blocks purine synthesis.",
        "Malignancy.",
        "1256",
        "L04AX01",
    )
    assert {use["condition"]["slug"]: use["on_label"] for use in data["uses"]} == {
        "rheumatoid-arthritis": True,
        "crohn-disease": False,
    }
    assert [(band["band"], [effect["name"] for effect in band["side_effects"]]) for band in data["side_effects"]] == [
        ("very_common", ["nausea"]),
        ("common", ["infection"]),
        ("rare", ["pancreatitis"]),
    ]
    assert [(topic["topic"], topic["texts"]) for topic in data["precautions"]] == [
        ("pregnancy", ["Talk to your doctor."]),
        ("liver", ["Liver tests."]),
    ]
    assert [(row["severity"], row["partner"]) for row in data["interactions"]] == [
        ("contraindicated", {"kind": "substance", "name": "Live vaccines", "slug": "live_vaccines"}),
        ("major", {"kind": "drug", "name": "allopurinol", "slug": "allopurinol"}),
    ]
    assert [reference["title"] for reference in data["references"]] == ["Label"]


def test_an_interaction_shows_on_both_drugs_and_through_a_class(client, azathioprine):
    nsaids = make_drug_class(name="NSAIDs")
    ibuprofen = make_published_drug(generic_name="ibuprofen")
    ibuprofen.classes.add(nsaids)
    make_interaction(azathioprine, drug_class=nsaids, severity=Severity.MINOR)

    partners = [row["partner"]["slug"] for row in get_json(client, "/api/v1/drugs/allopurinol/")["interactions"]]
    through_class = get_json(client, "/api/v1/drugs/ibuprofen/")["interactions"]

    assert partners == ["azathioprine"]
    assert [row["partner"]["slug"] for row in through_class] == ["azathioprine"]


def test_drug_list_classes_and_conditions(client, azathioprine):
    assert slugs(get_json(client, "/api/v1/drugs/")) == ["allopurinol", "azathioprine"]
    classes = get_json(client, "/api/v1/drug-classes/")["items"]
    assert classes[0]["slug"] == "immunosuppressants"
    assert classes[0]["drugs"] == [{"name": "azathioprine", "slug": "azathioprine"}]
    conditions = get_json(client, "/api/v1/conditions/")["items"]
    assert [condition["slug"] for condition in conditions] == ["crohn-disease", "rheumatoid-arthritis"]
    assert conditions[0]["drugs"] == [{"name": "azathioprine", "slug": "azathioprine"}]


# --- Interaction check and search ------------------------------------------------------------------


def test_interaction_check_finds_interactions_among_the_chosen_drugs(client, azathioprine):
    data = get_json(client, "/api/v1/interactions/?drugs=Imuran,allopurinol,nosuchdrug")

    assert [drug["slug"] for drug in data["drugs"]] == ["azathioprine", "allopurinol"]
    assert data["unknown"] == ["nosuchdrug"]
    assert [(finding["severity"], finding["drug"]["slug"]) for finding in data["findings"]] == [
        ("major", "azathioprine")
    ]
    assert data["findings"][0]["other"] == [{"name": "allopurinol", "slug": "allopurinol"}]
    assert [warning["substance"]["slug"] for warning in data["substances"]] == ["live_vaccines"]


@pytest.mark.parametrize("drugs", ["azathioprine", "a,b,c,d,e,f,g,h,i,j,k", "%3Cscript%3E,azathioprine", "%20"])
def test_interaction_check_refuses_bad_choices_with_400(client, azathioprine, drugs):
    data = get_json(client, f"/api/v1/interactions/?drugs={drugs}", status=400)
    assert data["detail"]


def test_search_finds_published_content_with_highlights(client, azathioprine):
    make_article(title="Azathioprine and the liver", category=make_category(name="Liver health"))
    reindex_all()

    data = get_json(client, "/api/v1/search/?q=azathioprine")

    assert data["hits"][0]["kind"] == "drug" and data["hits"][0]["slug"] == "azathioprine"
    article_hit = next(hit for hit in data["hits"] if hit["kind"] == "article")
    assert "<mark>Azathioprine</mark>" in article_hit["title_html"]
    assert article_hit["category"] == {"name": "Liver health", "slug": "liver-health"}
    assert data["total"] == 2 and data["pages"] == 1
    only_articles = get_json(client, "/api/v1/search/?q=azathioprine&kind=article&category=liver-health")
    assert [hit["kind"] for hit in only_articles["hits"]] == ["article"]


def test_search_offers_a_spelling_correction_and_refuses_bad_queries(client, azathioprine):
    reindex_all()
    assert get_json(client, "/api/v1/search/?q=azathiaprine")["suggestion"]["q"] == "azathioprine"
    assert (
        "10 words"
        in get_json(client, "/api/v1/search/?q=" + "%20".join(f"w{i}" for i in range(12)), status=400)["detail"]
    )
    get_json(client, "/api/v1/search/?q=azathioprine&page=9", status=404)
    get_json(client, "/api/v1/search/", status=400)


def test_article_body_images_are_plain_img_with_absolute_src(client):
    captioned = make_image(alt_text="Diagram of the liver", caption="The liver", credit="Illustration: medsite")
    decoration = make_image(alt_text="", decorative=True, caption="", credit="")
    gone = make_image()
    article = make_article(
        body=f'<p>Intro <img data-image="{decoration.pk}" alt=""> inline.</p>'
        f'<img data-image="{captioned.pk}" alt=""><img data-image="{gone.pk}" alt="">'
    )
    gone.delete()

    body = get_json(client, f"/api/v1/articles/{article.slug}/")["body_html"]

    imgs = re.findall(r"<img\b[^>]*>", body)
    assert len(imgs) == 2  # the image the library no longer has is left out, never an <img> without src
    for img in imgs:
        assert re.search(r'\bsrc="http://testserver/media/images/[^"]+\.jpg"', img), img
        assert re.search(r'width="\d+" height="\d+"', img), img
        assert "data-image" not in img
    assert imgs[0].endswith('alt="">')
    assert '<p>Intro <img src="http://testserver/' in body
    assert 'alt="Diagram of the liver"' in imgs[1]
    assert "<figcaption>The liver Illustration: medsite</figcaption></figure>" in body
