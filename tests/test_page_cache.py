"""The anonymous page cache (ops.page_cache) and its precise invalidation."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from ops import page_cache
from publishing.models import Status
from publishing.recent import RecentEntries
from tests.factories import make_article, make_category, make_published_drug, make_staff, pin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache", "cache_backend")]


@pytest.fixture(params=["local memory", "redis"])
def cache_backend(request):
    """Every test here runs on the default local-memory cache and on production's Redis backend."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.get("X-Page-Cache")


def warm(client, *urls):
    """Load each page twice; the second must come from the cache."""
    for url in urls:
        client.get(url)
        assert fetch(client, url)[1] == "hit", url


@pytest.fixture
def site(commit):
    with commit():
        category = make_category(name="Pain Relief")
        article = make_article(title="Ibuprofen basics", category=category, tags=["NSAIDs"])
        neighbour = make_article(title="Naproxen basics", category=make_category(), tags=["NSAIDs"])
    return category, article, neighbour


def tag_url(name):
    return f"/tag/{Tag.objects.get(name=name).slug}/"


def test_second_anonymous_request_is_served_from_the_cache_without_sql(client, site, django_assert_num_queries):
    _, article, _ = site
    first, state = fetch(client, article.get_absolute_url())
    assert state == "miss" and first.status_code == 200
    with django_assert_num_queries(0):
        second, state = fetch(client, article.get_absolute_url())
    assert state == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_pages_carry_headers_a_cdn_can_honour(client, site):
    _, article, _ = site
    client.get(article.get_absolute_url())
    response, _ = fetch(client, article.get_absolute_url())
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control and "stale-while-revalidate=" in cache_control
    assert "max-age=0" in cache_control  # browsers revalidate with the ETag
    assert response["ETag"] and response["Last-Modified"]


@pytest.mark.parametrize("warm_first", [False, True], ids=["miss", "hit"])
def test_conditional_requests_answer_304(client, site, warm_first):
    _, article, _ = site
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    if warm_first:
        assert fetch(client, url)[1] == "hit"
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_a_hit_answers_if_modified_since_too(client, site):
    _, article, _ = site
    url = article.get_absolute_url()
    client.get(url)
    hit, state = fetch(client, url)
    assert state == "hit"
    response = client.get(url, headers={"If-Modified-Since": hit["Last-Modified"]})
    assert response.status_code == 304


def test_a_page_cached_over_https_does_not_stop_the_redirect_from_plain_http(client, site, settings):
    # The cache sits above SecurityMiddleware; entries are keyed by scheme, so plain HTTP still reaches the redirect.
    settings.SECURE_SSL_REDIRECT = True
    _, article, _ = site
    url = article.get_absolute_url()
    client.get(url, secure=True)
    assert client.get(url, secure=True)["X-Page-Cache"] == "hit"
    response = client.get(url)
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_query_string_order_and_tracking_parameters_share_an_entry(client, site):
    category, _, _ = site
    client.get(f"{category.get_absolute_url()}?page=1&sort=x")
    assert fetch(client, f"{category.get_absolute_url()}?sort=x&page=1&utm_source=news")[1] == "hit"
    assert fetch(client, f"{category.get_absolute_url()}?page=2")[1] != "hit"


def test_staff_always_get_fresh_uncacheable_pages(client, site):
    _, article, _ = site
    warm(client, "/", article.get_absolute_url())
    staff = Client()
    staff.force_login(make_staff())
    for url in ("/", article.get_absolute_url()):
        response, state = fetch(staff, url)
        assert state is None
        assert "private" in response["Cache-Control"]


def test_admin_and_health_are_never_cached(client, site):
    client.get("/admin/login/")
    assert fetch(client, "/admin/login/")[1] is None
    assert fetch(client, "/healthz")[1] is None


def test_a_response_that_sets_a_cookie_is_not_stored(rf, site):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("flavour", "oat")
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    request = rf.get("/somewhere/")
    assert "X-Page-Cache" not in middleware(request)
    assert "X-Page-Cache" not in middleware(rf.get("/somewhere/"))


def test_publishing_shows_at_once_on_home_category_and_tag_pages(client, site, commit):
    category, article, _ = site
    pages = ["/", category.get_absolute_url(), tag_url("NSAIDs"), "/tag/"]
    warm(client, *pages)
    with commit():
        make_article(title="Celecoxib basics", category=category, tags=["NSAIDs"])
    for url in pages:
        response, state = fetch(client, url)
        assert state == "miss", url
        assert b"Celecoxib basics" in response.content or url == "/tag/", url


def test_editing_shows_at_once_wherever_the_article_is_shown(client, site, commit):
    from articles.related import see_also_for

    category, article, neighbour = site
    assert [link.pk for link in see_also_for(neighbour)] == [article.pk]
    pages = [article.get_absolute_url(), neighbour.get_absolute_url(), "/", category.get_absolute_url()]
    pages.append(tag_url("NSAIDs"))
    warm(client, *pages)
    with commit():
        article.title = "Ibuprofen: what to know"
        article.save()
    for url in pages:
        response, _ = fetch(client, url)
        assert b"Ibuprofen: what to know" in response.content, url


def test_renaming_a_category_shows_at_once_in_the_see_also_lists_naming_it(client, site, commit):
    category, article, neighbour = site
    assert category != neighbour.category
    warm(client, neighbour.get_absolute_url())
    with commit():
        category.name = "Pain and Fever"
        category.save()
    response, state = fetch(client, neighbour.get_absolute_url())
    assert state == "miss"
    see_also = response.content.decode().split('id="see-also-heading"', 1)[1]
    assert "Pain and Fever" in see_also


def test_unpublishing_removes_it_at_once_everywhere(client, site, commit):
    category, article, neighbour = site
    pages = ["/", category.get_absolute_url(), neighbour.get_absolute_url()]
    warm(client, article.get_absolute_url(), *pages)
    with commit():
        article.status = Status.UNPUBLISHED
        article.save()
    assert client.get(article.get_absolute_url()).status_code in (404, 410)
    for url in pages:
        assert b"Ibuprofen basics" not in client.get(url).content, url


def test_retagging_moves_it_between_tag_pages_at_once(client, site, commit):
    _, article, _ = site
    with commit():
        make_article(title="Paracetamol basics", tags=["Analgesics"])
    old_tag, new_tag = tag_url("NSAIDs"), tag_url("Analgesics")
    warm(client, old_tag, new_tag, article.get_absolute_url())
    with commit():
        article.tags.set(["Analgesics"])
    assert b"Ibuprofen basics" not in client.get(old_tag).content
    assert b"Ibuprofen basics" in client.get(new_tag).content
    assert b"Analgesics" in client.get(article.get_absolute_url()).content


def test_a_newly_published_neighbour_joins_see_also_at_once(client, site, commit):
    _, article, _ = site
    warm(client, article.get_absolute_url())
    with commit():
        make_article(title="Diclofenac basics", tags=["NSAIDs"])
    assert b"Diclofenac basics" in client.get(article.get_absolute_url()).content


def test_pinning_and_renaming_a_category_show_at_once(client, site, commit):
    category, article, _ = site
    other = make_article(title="Aspirin basics")
    warm(client, article.get_absolute_url(), "/", category.get_absolute_url())
    with commit():
        pin(article, other)
        category.name = "Pain and Inflammation"
        category.save()
    assert b"Aspirin basics" in client.get(article.get_absolute_url()).content
    for url in ("/", category.get_absolute_url()):
        assert b"Pain and Inflammation" in client.get(url).content, url


def test_renaming_a_tag_shows_at_once_on_every_card_that_names_it(client, site, commit):
    category, article, neighbour = site
    pages = ("/", category.get_absolute_url(), tag_url("NSAIDs"), article.get_absolute_url())
    warm(client, *pages)
    with commit():
        tag = Tag.objects.get(name="NSAIDs")
        tag.name = "Anti-inflammatories"
        tag.save()
    for url in pages:
        assert b"Anti-inflammatories" in client.get(url).content, url


def test_an_unrelated_write_keeps_other_pages_cached(client, site, commit):
    category, article, _ = site
    warm(client, article.get_absolute_url(), category.get_absolute_url())
    with commit():
        make_article(title="Unrelated", tags=["Sleep"])
    assert fetch(client, article.get_absolute_url())[1] == "hit"
    assert fetch(client, category.get_absolute_url())[1] == "hit"


def test_a_scheduled_article_appears_when_its_time_comes(client, site, commit, monkeypatch):
    category, _, _ = site
    publish_at = timezone.now() + timedelta(seconds=45)
    with commit():
        make_article(title="Scheduled piece", category=category, published_at=publish_at)
    warm(client, "/", category.get_absolute_url())
    assert b"Scheduled piece" not in client.get("/").content

    later = publish_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(page_cache.time, "time", lambda: later.timestamp())
    for url in ("/", category.get_absolute_url()):
        response, state = fetch(client, url)
        assert state == "miss", url
        assert b"Scheduled piece" in response.content, url


def test_cached_page_lifetime_for_shared_caches_stops_at_the_next_publish_time(client, site, commit):
    with commit():
        make_article(title="Soon", published_at=timezone.now() + timedelta(seconds=5))
    response = client.get("/")
    shared = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert shared <= 5


def test_drug_pages_refresh_when_an_article_about_the_drug_is_published(client, commit):
    drug = make_published_drug(generic_name="ibuprofen")
    warm(client, drug.get_absolute_url())
    with commit():
        make_article(title="Taking ibuprofen safely", drugs=[drug])
    assert b"Taking ibuprofen safely" in client.get(drug.get_absolute_url()).content


def test_a_process_keeps_only_its_most_recent_pages():
    recent = RecentEntries(size=2)
    for key in ("a", "b", "c"):
        recent.remember(key, {"content": key})
    assert recent.get("a") is None
    assert recent.get("b") == {"content": "b"} and recent.get("c") == {"content": "c"}


def test_a_process_copy_is_not_served_once_an_edit_makes_it_stale(client, site, commit):
    _, article, _ = site
    url = article.get_absolute_url()
    warm(client, url)
    response = client.get(url)
    assert page_cache.recent_entries.get(page_cache.page_key(response.wsgi_request)) is not None
    with commit():
        article.title = "A corrected title"
        article.save()
    response, state = fetch(client, url)
    assert state == "miss"
    assert "A corrected title" in response.content.decode()


def test_a_page_cached_between_the_save_and_the_see_also_task_is_fresh_once_it_ran(client, site, commit, run_tasks):
    _, article, _ = site
    with commit(run_tasks=False):
        make_article(title="Diclofenac basics", tags=["NSAIDs"])
    # A reader in the second before the task worker runs caches the page with the old list.
    warm(client, article.get_absolute_url())
    assert b"Diclofenac basics" not in client.get(article.get_absolute_url()).content
    run_tasks()
    response, state = fetch(client, article.get_absolute_url())
    assert state == "miss"
    assert b"Diclofenac basics" in response.content


def test_within_a_transaction_a_page_is_expired_at_its_first_write_and_again_after_commit(client, commit):
    with commit():
        article = make_article(title="Sleep basics", tags=["Sleep"])  # no See also: nothing else expires it
    url = article.get_absolute_url()
    warm(client, url)
    with commit(run_tasks=False):  # the See also task expires the page too
        article.title = "First correction"
        article.save()
        assert fetch(client, url)[1] == "miss"  # expired at the first write
        assert fetch(client, url)[1] == "hit"  # (this test's reader sees the uncommitted row; a real one the old)
        article.title = "Second correction"
        article.save()
        assert fetch(client, url)[1] == "hit"  # a later write of the same page waits for the commit
    response, state = fetch(client, url)
    assert state == "miss"
    assert "Second correction" in response.content.decode()
