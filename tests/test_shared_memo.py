"""Values kept per process (``publishing.shared_memo``): the categories and the navigation pages show.

Two ``SharedMemo`` objects over the same rows stand for two app processes:
each keeps its own copy, and they share only the version in the cache.
"""

import threading

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from articles.models import Category
from pages.navigation import site_navigation
from publishing import shared_memo
from publishing.shared_memo import SharedMemo, forget_kept_values
from tests.factories import make_article, make_category, make_page

pytestmark = pytest.mark.django_db


def category_names() -> list[str]:
    return list(Category.objects.order_by("name").values_list("name", flat=True))


def two_processes(**options) -> tuple[SharedMemo, SharedMemo]:
    return SharedMemo(category_names, **options), SharedMemo(category_names, **options)


def read(memo, django_assert_num_queries, queries: int):
    with django_assert_num_queries(queries):
        return memo.get()


@pytest.mark.parametrize("backend", ["local memory", "redis"])
def test_a_kept_value_costs_no_query_until_any_process_forgets_it(request, backend, django_assert_num_queries):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    make_category(name="Allergy")
    first, second = two_processes()
    assert read(first, django_assert_num_queries, 1) == ["Allergy"]
    assert read(second, django_assert_num_queries, 1) == ["Allergy"]
    assert read(first, django_assert_num_queries, 0) == ["Allergy"]
    make_category(name="Sleep")  # a write in the second process...
    second.forget()
    assert read(first, django_assert_num_queries, 1) == ["Allergy", "Sleep"]  # ...reaches the first
    assert read(first, django_assert_num_queries, 0) == ["Allergy", "Sleep"]


def test_what_a_transaction_read_is_never_kept(django_assert_num_queries):
    make_category(name="Allergy")
    memo, _ = two_processes()
    memo.get()
    with pytest.raises(RuntimeError), transaction.atomic():  # a preview: rendered, then rolled back
        make_category(name="Unsaved")
        assert memo.get() == ["Allergy", "Unsaved"]
        raise RuntimeError("roll back")
    assert read(memo, django_assert_num_queries, 1) == ["Allergy"]


@pytest.mark.django_db(transaction=True)
def test_a_process_that_read_during_a_write_reads_again_once_it_commits():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database locks a table an open transaction wrote (PostgreSQL runs it)")
    make_category(name="Allergy")
    writer, reader = two_processes()
    seen = []

    def read_elsewhere():  # on a connection of its own, as another process would
        try:
            seen.append(reader.get())
        finally:
            connection.close()

    with transaction.atomic():
        make_category(name="Sleep")
        writer.forget()  # the reader's read comes after the write's first new version, before its commit
        thread = threading.Thread(target=read_elsewhere)
        thread.start()
        thread.join()
    assert seen == [["Allergy"]]
    assert reader.get() == ["Allergy", "Sleep"]


def test_with_the_cache_down_every_read_goes_to_the_database(redis_down, django_assert_num_queries):
    make_category(name="Allergy")
    memo, _ = two_processes()
    for _ in range(3):
        assert read(memo, django_assert_num_queries, 1) == ["Allergy"]


def test_a_version_lost_from_the_cache_is_set_again(django_assert_num_queries):
    make_category(name="Allergy")
    memo, _ = two_processes()
    memo.get()
    memo.get()
    cache.clear()  # evicted, or a new cache server
    assert read(memo, django_assert_num_queries, 1) == ["Allergy"]
    assert read(memo, django_assert_num_queries, 0) == ["Allergy"]


def test_a_kept_value_is_read_again_after_its_maximum_age(django_assert_num_queries):
    make_category(name="Allergy")
    memo, _ = two_processes(max_age=0)
    memo.get()
    assert read(memo, django_assert_num_queries, 1) == ["Allergy"]


def test_a_page_asks_the_cache_for_the_version_once(monkeypatch):
    category = make_category(name="Allergy")
    make_article(category=category)
    make_page(title="About us", segment="about", show_in_footer=True)
    version_reads = []
    real_get = shared_memo.safe_get

    def counting_get(key, *args):
        version_reads.append(key)
        return real_get(key, *args)

    monkeypatch.setattr(shared_memo, "safe_get", counting_get)
    client = Client()
    client.get(category.get_absolute_url())  # keeps the categories and the navigation
    version_reads.clear()
    response = client.get(category.get_absolute_url())
    assert response.status_code == 200 and b"About us" in response.content
    assert version_reads == [shared_memo.VERSION_KEY]


# --- What pages show after a change ---


def test_a_renamed_or_moved_category_shows_at_once(client):
    health = make_category(name="Health", slug="health")
    sleep = make_category(name="Sleep", slug="sleep")
    make_article(category=sleep)
    assert b"Sleep" in client.get("/category/").content
    assert client.get("/category/health/").context["subcategories"] == []
    sleep.name, sleep.parent = "Sleep and rest", health
    sleep.save()
    assert [sub.name for sub in client.get("/category/health/").context["subcategories"]] == ["Sleep and rest"]
    assert [name for name, _ in client.get("/category/sleep/").context["breadcrumbs"]][1:] == [
        "Health",
        "Sleep and rest",
    ]
    allergy = make_category(name="Allergy", slug="allergy")
    make_article(category=allergy)
    assert client.get("/category/allergy/").status_code == 200


def test_a_deleted_category_is_gone_at_once(client):
    make_category(name="Sleep", slug="sleep")
    category = make_category(name="Allergy", slug="allergy", featured=True)
    make_article(category=category)
    client.get("/")
    assert [c.name for c in client.get("/").context["featured_categories"]] == ["Allergy"]
    category.articles.all().delete()
    category.delete()
    assert client.get("/").context["featured_categories"] == []
    assert client.get("/category/allergy/").status_code in (404, 410)


def test_a_navigation_change_reaches_a_process_that_kept_the_old_links(django_assert_num_queries):
    page = make_page(title="About us", segment="about", show_in_footer=True)
    site_navigation()
    page.nav_label = "About"
    page.save()
    assert [link.label for link in site_navigation().footer] == ["About"]
    forget_kept_values()
    with django_assert_num_queries(1):
        site_navigation()
