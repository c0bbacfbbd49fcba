"""Page metadata: canonical links, descriptions, Open Graph and Twitter tags, JSON-LD."""

import json
import re
from datetime import date, timedelta

import pytest

from drugs.models import Availability, NameKind, Substance, Topic
from tests.factories import (
    make_article,
    make_article_batch,
    make_category,
    make_drug_class,
    make_drug_name,
    make_interaction,
    make_precaution,
    make_published_drug,
    make_user,
)

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def canonical(html):
    found = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    assert len(found) == 1
    return found[0]


def meta(html, key):
    found = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return found


def json_ld(html) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def of_type(html, kind) -> dict:
    found = [block for block in json_ld(html) if block["@type"] == kind]
    assert len(found) == 1, [block["@type"] for block in json_ld(html)]
    return found[0]


@pytest.fixture
def article():
    author = make_user(first_name="Ada", last_name="Author")
    reviewer = make_user(first_name="Rita", last_name="Reviewer")
    category = make_category(name="Pain Relief", slug="pain-relief")
    drug = make_published_drug(generic_name="mercaptopurine")
    return make_article(
        title="Imuran </script><script>alert(1)</script> guide",
        slug="imuran-guide",
        summary='What "Imuran" is & how it works.',
        category=category,
        author=author,
        reviewed_by=reviewer,
        last_reviewed=date(2026, 1, 15),
        tags=["Imuran", "Azathioprine"],
        drugs=[drug],
    )


def test_article_has_canonical_description_and_social_tags(client, article):
    html = page(client, "/articles/imuran-guide/?utm_source=feed&page=1")
    assert canonical(html) == "http://testserver/articles/imuran-guide/"
    assert '<meta name="description" content="What &#34;Imuran&#34; is &amp; how it works.">' in html
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Imuran &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; guide"]
    assert meta(html, "og:description") == ["What &#34;Imuran&#34; is &amp; how it works."]
    assert meta(html, "og:url") == ["http://testserver/articles/imuran-guide/"]
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "twitter:title") == meta(html, "og:title")
    assert sorted(meta(html, "article:tag")) == ["Azathioprine", "Imuran"]
    assert meta(html, "article:section") == ["Pain Relief"]


def test_article_json_ld_is_a_reviewed_medical_web_page(client, article):
    html = page(client, "/articles/imuran-guide/")
    assert "</script><script>alert(1)" not in html
    data = of_type(html, "MedicalWebPage")
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Imuran </script><script>alert(1)</script> guide"
    assert data["url"] == "http://testserver/articles/imuran-guide/"
    assert data["description"] == 'What "Imuran" is & how it works.'
    assert data["lastReviewed"] == "2026-01-15"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Rita Reviewer"}
    assert data["author"] == {"@type": "Person", "name": "Ada Author"}
    assert sorted(data["keywords"]) == ["Azathioprine", "Imuran"]
    assert data["about"] == [
        {"@type": "Drug", "name": "mercaptopurine", "url": "http://testserver/drugs/mercaptopurine/"}
    ]
    assert data["datePublished"] and data["dateModified"]


def test_unreviewed_article_has_no_review_fields(client):
    make_article(slug="plain")
    data = of_type(page(client, "/articles/plain/"), "MedicalWebPage")
    assert "lastReviewed" not in data and "reviewedBy" not in data


@pytest.fixture
def drug():
    reviewer = make_user(first_name="Rita", last_name="Reviewer")
    drug = make_published_drug(
        generic_name="azathioprine",
        summary="An immunosuppressant.",
        mechanism="It slows the production of immune cells.",
        absorption="Well absorbed by mouth.",
        boxed_warning="Raises the risk of some cancers.",
        availability=Availability.PRESCRIPTION,
        atc_code="L04AX01",
        rxcui="1256",
        reviewed_by=reviewer,
        last_reviewed=date(2026, 2, 1),
        next_review_due=date(2026, 2, 1) + timedelta(days=365),
    )
    make_drug_name(drug, name="Imuran", kind=NameKind.BRAND)
    make_drug_name(drug, name="Azasan", kind=NameKind.BRAND)
    make_drug_name(drug, name="AZA", kind=NameKind.OTHER)
    drug.classes.add(make_drug_class(name="Immunosuppressants", slug="immunosuppressants"))
    make_precaution(drug, topic=Topic.PREGNANCY, text="Talk to your doctor if you could become pregnant.")
    make_precaution(drug, topic=Topic.BREASTFEEDING, text="Ask before breastfeeding.")
    make_interaction(drug, drug_b=make_published_drug(generic_name="allopurinol"), what_happens="Raises levels.")
    make_interaction(drug, substance=Substance.ALCOHOL, what_happens="Alcohol adds to liver strain.")
    return drug


def test_drug_json_ld_carries_the_drug_fields(client, drug):
    html = page(client, "/drugs/azathioprine/")
    assert canonical(html) == "http://testserver/drugs/azathioprine/"
    data = of_type(html, "Drug")
    assert data["nonProprietaryName"] == "azathioprine"
    assert sorted(data["proprietaryName"]) == ["Azasan", "Imuran"]
    assert data["alternateName"] == ["AZA"]
    assert data["activeIngredient"] == "azathioprine"
    assert data["drugClass"] == [
        {
            "@type": "DrugClass",
            "name": "Immunosuppressants",
            "url": "http://testserver/drug-classes/immunosuppressants/",
        }
    ]
    assert data["pregnancyWarning"] == "Talk to your doctor if you could become pregnant."
    assert data["breastfeedingWarning"] == "Ask before breastfeeding."
    assert data["alcoholWarning"] == "Alcohol adds to liver strain."
    assert data["interactingDrug"] == [
        {"@type": "Drug", "name": "allopurinol", "url": "http://testserver/drugs/allopurinol/"}
    ]
    assert data["prescriptionStatus"] == "https://schema.org/PrescriptionOnly"
    assert data["mechanismOfAction"] == "It slows the production of immune cells."
    assert data["warning"] == "Raises the risk of some cancers."
    assert {"@type": "MedicalCode", "codingSystem": "ATC", "codeValue": "L04AX01"} in data["code"]
    assert data["mainEntityOfPage"]["lastReviewed"] == "2026-02-01"
    assert data["mainEntityOfPage"]["reviewedBy"]["name"] == "Rita Reviewer"
    assert "adverseOutcome" not in html and "pregnancyCategory" not in html


def test_every_page_has_one_canonical_link_and_a_breadcrumb_list(client, article, drug):
    drug_class = drug.classes.first()
    urls = {
        "/": "http://testserver/",
        "/articles/imuran-guide/": "http://testserver/articles/imuran-guide/",
        "/category/": "http://testserver/category/",
        "/category/pain-relief/?page=1": "http://testserver/category/pain-relief/",
        "/tag/": "http://testserver/tag/",
        "/tag/imuran/?ref=x": "http://testserver/tag/imuran/",
        "/drugs/": "http://testserver/drugs/",
        "/drugs/?letter=a": "http://testserver/drugs/?letter=A",
        "/drugs/azathioprine/": "http://testserver/drugs/azathioprine/",
        drug_class.get_absolute_url(): "http://testserver" + drug_class.get_absolute_url(),
        "/interactions/": "http://testserver/interactions/",
    }
    for url, expected in urls.items():
        html = page(client, url)
        assert canonical(html) == expected, url
        crumbs = of_type(html, "BreadcrumbList")["itemListElement"]
        assert crumbs[0] == {"@type": "ListItem", "position": 1, "name": "Home", "item": "http://testserver/"}
        assert [crumb["position"] for crumb in crumbs] == list(range(1, len(crumbs) + 1)), url
        assert crumbs[-1]["item"] == expected or url == "/", url


def test_article_breadcrumbs_follow_the_category_trail(client, article):
    crumbs = of_type(page(client, "/articles/imuran-guide/"), "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Home", "Pain Relief", article.title]
    assert crumbs[1]["item"] == "http://testserver/category/pain-relief/"


def test_later_pages_have_their_own_canonical_url(client):
    category = make_category(slug="big")
    make_article_batch(45, category=category, author=make_user())
    assert canonical(page(client, "/category/big/?page=2")) == "http://testserver/category/big/?page=2"
    assert canonical(page(client, "/category/big/?page=1")) == "http://testserver/category/big/"
    assert canonical(page(client, "/?page=2")) == "http://testserver/?page=2"


def test_search_results_are_kept_out_of_indexes(client):
    html = page(client, "/search/?q=liver")
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'rel="canonical"' not in html
    assert 'id="header-search"' in html


def test_article_search_title_and_description_lead_title_meta_social_tags_and_json_ld(client):
    make_article(
        title="Azathioprine guide",
        slug="aza-guide",
        summary="The summary.",
        seo_title="Azathioprine: when and how to take it",
        meta_description="Food, timing and missed doses, reviewed by a pharmacist.",
    )
    html = page(client, "/articles/aza-guide/")
    assert "<title>Azathioprine: when and how to take it</title>" in html
    assert '<meta name="description" content="Food, timing and missed doses, reviewed by a pharmacist.">' in html
    assert meta(html, "og:title") == meta(html, "twitter:title") == ["Azathioprine: when and how to take it"]
    assert meta(html, "og:description") == ["Food, timing and missed doses, reviewed by a pharmacist."]
    data = of_type(html, "MedicalWebPage")
    assert data["description"] == "Food, timing and missed doses, reviewed by a pharmacist."
    assert data["headline"] == "Azathioprine guide"


def test_article_without_search_fields_falls_back_to_title_and_summary(client):
    make_article(title="Azathioprine guide", slug="aza-guide", summary="The summary.")
    html = page(client, "/articles/aza-guide/")
    assert re.search(r"<title>Azathioprine guide \| [^<]+</title>", html)
    assert '<meta name="description" content="The summary.">' in html
    assert meta(html, "og:title") == ["Azathioprine guide"]
    assert of_type(html, "MedicalWebPage")["description"] == "The summary."


def test_drug_search_title_and_description_lead_its_metadata(client):
    drug = make_published_drug(generic_name="azathioprine", summary="An immunosuppressant.")
    drug.seo_title, drug.meta_description = "Azathioprine (Imuran): uses and risks", "What it treats and how."
    drug.save()
    html = page(client, drug.get_absolute_url())
    assert "<title>Azathioprine (Imuran): uses and risks</title>" in html
    assert '<meta name="description" content="What it treats and how.">' in html
    assert meta(html, "og:title") == ["Azathioprine (Imuran): uses and risks"]
    assert meta(html, "twitter:description") == ["What it treats and how."]
    assert of_type(html, "Drug")["description"] == "What it treats and how."


def test_drug_without_search_fields_keeps_its_usual_title_and_summary(client):
    drug = make_published_drug(generic_name="azathioprine", summary="An immunosuppressant.")
    html = page(client, drug.get_absolute_url())
    assert re.search(r"<title>Azathioprine: uses, side effects and interactions \| [^<]+</title>", html)
    assert '<meta name="description" content="An immunosuppressant.">' in html
    assert of_type(html, "Drug")["description"] == "An immunosuppressant."
