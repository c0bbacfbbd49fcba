"""/healthz: 200 only when the database and the cache both answer."""

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_naming_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_cache_down_answers_503_and_says_so(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["database"] == "ok"
    assert body["cache"].startswith("down: ")


def test_database_down_answers_503_and_says_so(client, monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down: OperationalError", "cache": "ok"}


def test_health_is_exempt_from_the_https_redirect():
    from medsite.settings import prod

    assert any(__import__("re").match(pattern, "healthz") for pattern in prod.SECURE_REDIRECT_EXEMPT)
