"""The API behind the page cache and in front of other sites: ETags, invalidation, CDN headers, CORS, rate limit."""

import json
import re

import pytest
from django.test import Client

from publishing.models import Status
from tests.api_helpers import get_json
from tests.factories import make_article, make_category, make_published_drug, make_side_effect

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["local memory", "redis"])
def cache_backend(request):
    """Run on the default local-memory cache and on production's Redis backend."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


@pytest.fixture
def article(commit):
    with commit():
        return make_article(title="Ibuprofen basics", category=make_category(name="Pain relief"), tags=["NSAIDs"])


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.get("X-Page-Cache")


# --- Conditional requests and CDN headers --------------------------------------------------------


@pytest.mark.parametrize("page_cache_on", [False, True], ids=["page cache off", "page cache on"])
def test_etag_and_last_modified_answer_304(client, article, settings, request, page_cache_on):
    if page_cache_on:
        request.getfixturevalue("page_cache")
    url = f"/api/v1/articles/{article.slug}/"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    if page_cache_on:
        # The time the page cache stored the answer; without it there is no such time to promise.
        assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    else:
        assert "Last-Modified" not in first


def test_successful_answers_may_be_kept_by_a_cdn_briefly_and_errors_not_at_all(client, article, settings):
    settings.PAGE_CACHE_SHARED_SECONDS = 20
    cache_control = client.get("/api/v1/articles/")["Cache-Control"]
    assert "public" in cache_control and "s-maxage=20" in cache_control and "max-age=0" in cache_control
    assert "no-store" in client.get("/api/v1/articles/nope/")["Cache-Control"]
    assert "no-store" in client.get("/api/v1/articles/?limit=0")["Cache-Control"]


# --- The page cache ------------------------------------------------------------------------------


@pytest.mark.usefixtures("page_cache", "cache_backend")
def test_api_answers_are_served_from_the_page_cache_without_sql(client, article, django_assert_num_queries):
    url = f"/api/v1/articles/{article.slug}/"
    first, state = fetch(client, url)
    assert state == "miss"
    with django_assert_num_queries(0):
        second, state = fetch(client, url)
    assert state == "hit" and second.content == first.content
    assert second["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.usefixtures("page_cache", "cache_backend")
def test_editing_an_article_changes_its_cached_api_answers_at_once(client, article, commit):
    urls = [f"/api/v1/articles/{article.slug}/", "/api/v1/articles/", "/api/v1/articles/?tag=nsaids"]
    for url in urls:
        client.get(url)
        assert fetch(client, url)[1] == "hit", url
    with commit():
        article.title = "Ibuprofen: what to know"
        article.save()
    for url in urls:
        response, state = fetch(client, url)
        assert state == "miss" and "Ibuprofen: what to know" in response.content.decode(), url


@pytest.mark.usefixtures("page_cache", "cache_backend")
def test_an_edit_elsewhere_keeps_an_article_answer_cached(client, article, commit):
    url = f"/api/v1/articles/{article.slug}/"
    client.get(url)
    with commit():
        make_article(title="Unrelated", tags=["Sleep"])
    assert fetch(client, url)[1] == "hit"


@pytest.mark.usefixtures("page_cache", "cache_backend")
def test_editing_a_drug_changes_its_cached_monograph(client, commit):
    with commit():
        drug = make_published_drug(generic_name="ibuprofen")
    url = "/api/v1/drugs/ibuprofen/"
    client.get(url)
    assert fetch(client, url)[1] == "hit"
    with commit():
        make_side_effect(drug, name="heartburn")
    response, state = fetch(client, url)
    assert state == "miss" and "heartburn" in response.content.decode()


@pytest.mark.usefixtures("page_cache")
def test_unpublishing_removes_an_article_from_cached_answers_at_once(client, article, commit):
    url = "/api/v1/articles/"
    client.get(url)
    with commit():
        article.status = Status.UNPUBLISHED
        article.save()
    assert article.slug not in client.get(url).content.decode()
    assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 404


# --- CORS ----------------------------------------------------------------------------------------


def test_cors_lets_configured_origins_read_the_api_only(client, article, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    allowed = client.get("/api/v1/articles/", headers={"Origin": "https://partner.example"})
    other = client.get("/api/v1/articles/", headers={"Origin": "https://evil.example"})
    page = client.get(article.get_absolute_url(), headers={"Origin": "https://partner.example"})

    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Origin" in allowed["Vary"] or "origin" in allowed["Vary"]
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Origin" not in page  # the site's pages are not for other origins
    assert "Access-Control-Allow-Credentials" not in allowed


def test_cors_preflight_allows_reading_only(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    response = client.options(
        "/api/v1/articles/",
        headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.usefixtures("page_cache")
def test_a_cached_answer_carries_the_cors_header_of_each_request(client, article, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://one.example", "https://two.example"]
    client.get("/api/v1/articles/", headers={"Origin": "https://one.example"})
    hit, state = fetch(client, "/api/v1/articles/", Origin="https://two.example")
    assert state == "hit" and hit["Access-Control-Allow-Origin"] == "https://two.example"
    plain, state = fetch(client, "/api/v1/articles/")
    assert state == "hit" and "Access-Control-Allow-Origin" not in plain


# --- Rate limit --------------------------------------------------------------------------------------


def test_rate_limit_is_off_unless_configured(client, settings):
    assert settings.API_RATE_LIMIT == ""
    assert all(client.get("/api/v1/categories/").status_code == 200 for _ in range(30))


@pytest.mark.parametrize("page_cache_on", [False, True], ids=["page cache off", "page cache on"])
def test_rate_limit_answers_429_with_retry_after_per_client(settings, request, page_cache_on):
    if page_cache_on:
        request.getfixturevalue("page_cache")  # cache hits count too
    settings.API_RATE_LIMIT = "3/60"
    one, two = Client(REMOTE_ADDR="203.0.113.1"), Client(REMOTE_ADDR="203.0.113.2")

    answers = [one.get("/api/v1/categories/").status_code for _ in range(4)]
    refused = one.get("/api/v1/categories/")

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in json.loads(refused.content)["detail"]
    assert "no-store" in refused["Cache-Control"]
    assert two.get("/api/v1/categories/").status_code == 200  # another client has its own count
    assert one.get("/").status_code == 200  # pages are not limited


@pytest.mark.usefixtures("page_cache", "redis_down")
def test_rate_limit_with_redis_down_serves_rather_than_fails(client, settings, article):
    settings.API_RATE_LIMIT = "1/60"
    assert [client.get("/api/v1/articles/").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.usefixtures("page_cache", "redis_down")
def test_api_with_redis_down_answers_uncached(client, article):
    assert get_json(client, f"/api/v1/articles/{article.slug}/")["title"] == "Ibuprofen basics"


# --- Schema and docs -----------------------------------------------------------------------------------


def test_openapi_schema_is_3_1_and_describes_every_endpoint(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/categories/",
        "/api/v1/tags/",
        "/api/v1/drugs/",
        "/api/v1/drugs/{slug}/",
        "/api/v1/drug-classes/",
        "/api/v1/conditions/",
        "/api/v1/interactions/",
        "/api/v1/search/",
    }
    for path, operations in document["paths"].items():
        assert set(operations) == {"get"}, path  # read only
        assert operations["get"]["description"] or operations["get"]["summary"], path
        assert {"200", "400", "404"} <= set(operations["get"]["responses"]), path


def test_docs_page_loads_its_assets_from_this_site_only(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses and all(address.startswith("/static/") for address in addresses), addresses
    assert "http://" not in html and "https://" not in html and '"//' not in html
    for address in addresses:
        assert client.get(address).status_code == 200, address


def test_unknown_api_addresses_answer_json_404(client):
    response = client.get("/api/v2/articles/")
    assert response.status_code == 404 and json.loads(response.content)["detail"]
