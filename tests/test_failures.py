"""Staying up when a part fails: Redis down, database down."""

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client

from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    def down():
        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)

    return down


def test_with_redis_down_readers_get_pages_uncached(client, page_cache, redis_down):
    article = make_article(title="Azathioprine basics", tags=["Azathioprine"])
    for _ in range(2):
        for url in ("/", article.get_absolute_url(), "/category/", "/tag/", "/drugs/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get("X-Page-Cache") is None, url
    assert b"Azathioprine basics" in client.get("/").content


def test_with_redis_down_editors_can_still_save(client, page_cache, redis_down):
    article = make_article(title="Before")
    article.title = "After"
    article.save()  # invalidation receivers must not raise
    assert b"After" in client.get(article.get_absolute_url()).content


def test_with_the_database_down_readers_get_a_plain_503(database_down):
    reader = Client(raise_request_exception=False)
    database_down()
    for url in ("/", "/articles/anything/", "/drugs/"):
        response = reader.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"]
        assert b"We'll be back shortly" in response.content
        assert b"Traceback" not in response.content and b"OperationalError" not in response.content


def test_database_down_while_loading_a_session_is_a_503_too(client, database_down):
    client.force_login(make_staff())
    client.raise_request_exception = False
    database_down()
    response = client.get("/")
    assert response.status_code == 503
    assert b"We'll be back shortly" in response.content


def test_cached_pages_are_still_served_with_the_database_down(client, page_cache, database_down):
    article = make_article(title="Cached article")
    client.get(article.get_absolute_url())
    database_down()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and b"Cached article" in response.content


def test_other_errors_still_answer_the_plain_500_page(rf):
    from ops.views import server_error

    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"boom" not in response.content
