"""Sitemap index, its sections and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.sitemaps import ArticleSitemap
from changelog.models import ChangeNote
from publishing.models import Status
from tests.factories import (
    make_article,
    make_category,
    make_drug_class,
    make_drug_use,
    make_page,
    make_published_drug,
)

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTIONS = [
    "pages", "articles", "categories", "tags", "drug-index", "drugs", "drug-classes", "conditions", "site-pages",
    "corrections",
]  # fmt: skip


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response; raises on malformed XML


def locations(root, tag="url"):
    return [element.findtext("sm:loc", namespaces=NS) for element in root.findall(f"sm:{tag}", NS)]


@pytest.fixture
def site():
    category = make_category(name="Pain Relief", slug="pain-relief")
    make_category(name="Empty", slug="empty")
    drug_class = make_drug_class(name="NSAIDs", slug="nsaids")
    drug = make_published_drug(generic_name="ibuprofen")
    drug.classes.add(drug_class)
    make_drug_use(drug)
    make_published_drug(generic_name="secretamab", status=Status.DRAFT)
    make_drug_class(name="Unused class", slug="unused-class")
    about = make_page(title="About us", segment="about")
    make_page(title="Editorial policy", segment="editorial-policy", parent=about)
    make_page(title="Draft notice", segment="draft-notice", status=Status.DRAFT)
    article = make_article(title="Public", category=category, tags=["Liver"])
    ChangeNote.objects.create(page=article, summary="Corrected the dose.", is_correction=True)
    return {
        "article": article,
        "draft": make_article(title="Draft", category=category, tags=["Hidden"], status=Status.DRAFT),
        "scheduled": make_article(
            title="Later", category=category, tags=["Hidden"], published_at=timezone.now() + timedelta(days=1)
        ),
    }


def test_sitemap_index_lists_every_section_with_lastmod(client, site):
    root = xml(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert locations(root, "sitemap") == [f"http://testserver/sitemap-{section}.xml" for section in SECTIONS]
    for element in root.findall("sm:sitemap", NS):
        assert element.findtext("sm:lastmod", namespaces=NS), element.findtext("sm:loc", namespaces=NS)


def test_sections_list_only_public_content(client, site):
    assert locations(xml(client, "/sitemap-articles.xml")) == ["http://testserver/articles/public/"]
    assert locations(xml(client, "/sitemap-tags.xml")) == ["http://testserver/tag/liver/"]
    assert set(locations(xml(client, "/sitemap-categories.xml"))) == {
        "http://testserver/category/pain-relief/",
        "http://testserver/category/empty/",
    }
    assert locations(xml(client, "/sitemap-drugs.xml")) == ["http://testserver/drugs/ibuprofen/"]
    assert locations(xml(client, "/sitemap-drug-classes.xml")) == ["http://testserver/drug-classes/nsaids/"]
    assert set(locations(xml(client, "/sitemap-pages.xml"))) == {
        "http://testserver/",
        "http://testserver/category/",
        "http://testserver/tag/",
    }
    assert locations(xml(client, "/sitemap-drug-index.xml")) == [
        "http://testserver/drugs/",
        "http://testserver/drug-classes/",
        "http://testserver/conditions/",
    ]
    assert locations(xml(client, "/sitemap-site-pages.xml")) == [
        "http://testserver/about/",
        "http://testserver/about/editorial-policy/",
    ]
    assert locations(xml(client, "/sitemap-corrections.xml")) == ["http://testserver/corrections/"]


def test_every_entry_has_its_last_modified_time(client, site):
    root = xml(client, "/sitemap-articles.xml")
    lastmod = root.find("sm:url", NS).findtext("sm:lastmod", namespaces=NS)
    assert lastmod == site["article"].updated_at.date().isoformat() or lastmod.startswith(
        site["article"].updated_at.strftime("%Y-%m-%d")
    )
    for section in ["tags", "categories", "drugs", "drug-classes", "site-pages"]:
        for url in xml(client, f"/sitemap-{section}.xml").findall("sm:url", NS):
            assert url.findtext("sm:lastmod", namespaces=NS), section


def test_sections_are_paginated_at_the_limit(client, site, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    category = make_category()
    for i in range(4):
        make_article(title=f"Paged {i}", category=category)
    index = locations(xml(client, "/sitemap.xml"), "sitemap")
    assert "http://testserver/sitemap-articles.xml?p=3" in index
    pages = [locations(xml(client, f"/sitemap-articles.xml?p={page}")) for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert len({url for page in pages for url in page}) == 5
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_default_limit_is_the_protocols():
    assert ArticleSitemap.limit == 50_000


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Disallow: /feedback/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_query_count_does_not_grow(client, site, django_assert_max_num_queries):
    def total_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            for section in SECTIONS:
                assert client.get(f"/sitemap-{section}.xml").status_code == 200
        return len(queries)

    before = total_queries()
    category = make_category()
    for i in range(10):
        make_article(category=category, tags=[f"Tag {i}"])
    from django.core.cache import cache

    cache.clear()
    assert total_queries() <= before
