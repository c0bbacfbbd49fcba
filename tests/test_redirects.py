"""Links that never break: renamed public pages answer 301 in one hop; only what was public gets a redirect."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from publishing.models import Status
from tests.factories import make_article, make_category, make_published_drug, make_role_user
from workflow.models import SlugRedirect
from workflow.roles import PUBLISHER
from workflow.services import content_transition

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()


def assert_moved(client, old_url, new_url):
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == new_url
    assert client.get(new_url).status_code == 200


def test_renaming_an_article_twice_leaves_both_old_urls_one_hop_from_the_newest(client):
    article = make_article(slug="azathioprine")
    rename(article, "azathioprine-uses")
    rename(article, "azathioprine-uses-and-side-effects")
    newest = "/articles/azathioprine-uses-and-side-effects/"
    assert_moved(client, "/articles/azathioprine/", newest)
    assert_moved(client, "/articles/azathioprine-uses/", newest)


def test_renaming_a_drug_twice_redirects_both_old_addresses(client):
    drug = make_published_drug(generic_name="azathioprine", slug="aza")
    rename(drug, "azathioprin")
    rename(drug, "azathioprine")
    assert_moved(client, "/drugs/aza/", "/drugs/azathioprine/")
    assert_moved(client, "/drugs/azathioprin/", "/drugs/azathioprine/")


def test_taking_an_old_slug_back_removes_its_redirect(client):
    article = make_article(slug="first")
    rename(article, "second")
    rename(article, "first")
    assert client.get("/articles/first/").status_code == 200
    assert_moved(client, "/articles/second/", "/articles/first/")


def test_renaming_a_draft_or_scheduled_article_creates_no_redirect(client):
    draft = make_article(slug="draft-one", status=Status.DRAFT)
    scheduled = make_article(slug="soon-one", published_at=timezone.now() + timedelta(hours=2))
    rename(draft, "draft-two")
    rename(scheduled, "soon-two")
    assert not SlugRedirect.objects.exists()
    assert client.get("/articles/draft-one/").status_code == 404


def test_a_redirect_never_leads_to_content_that_is_no_longer_public(client):
    publisher = make_role_user(PUBLISHER)
    article = make_article(slug="old-name")
    rename(article, "new-name")
    content_transition(obj=article, to_status=Status.UNPUBLISHED, by=publisher)
    assert client.get("/articles/old-name/").status_code == 410
    assert client.get("/articles/new-name/").status_code == 410
    content_transition(obj=article, to_status=Status.DRAFT, by=publisher)
    assert client.get("/articles/old-name/").status_code == 404


def test_a_new_article_on_an_old_address_wins_over_the_redirect(client):
    first = make_article(slug="naproxen")
    rename(first, "naproxen-guide")
    second = make_article(slug="naproxen")
    assert client.get("/articles/naproxen/").context["article"] == second


def test_category_and_tag_renames_redirect(client):
    category = make_category(name="Pain", slug="pain")
    make_article(category=category, tags=["Imuran"])
    rename(category, "pain-relief")
    assert_moved(client, "/category/pain/", "/category/pain-relief/")
    tag = Tag.objects.get(name="Imuran")
    rename(tag, "imuran-brand")
    assert_moved(client, "/tag/imuran/", "/tag/imuran-brand/")


def test_a_tag_redirect_is_not_followed_to_a_tag_without_public_articles(client):
    make_article(tags=["Rare"], status=Status.DRAFT)
    rename(Tag.objects.get(name="Rare"), "rare-tag")
    assert client.get("/tag/rare/").status_code == 404


def test_a_public_page_pays_nothing_for_redirects(client, django_assert_num_queries):
    article = make_article(slug="plain")
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert not any("workflow_slugredirect" in query["sql"] for query in queries.captured_queries)


def test_an_unknown_address_costs_one_extra_query_on_the_404_path(client):
    client.get("/articles/nothing-here/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/articles/nothing-here/").status_code == 404
    assert len(queries) <= 2
