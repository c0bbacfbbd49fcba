"""The cache under faults: no stale clinical page after an outage or a race, no 500 while Redis is down.

The outage tests run a private redis-server (tests/servers.py): they shut it
down with SHUTDOWN SAVE and start it again on its saved data, or freeze it
with SIGSTOP, while an editor saves.
"""

import ast
import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from ops import page_cache as page_cache_module
from tests.factories import make_article, make_category, make_published_drug
from tests.servers import RedisServer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["local memory", "redis"])
def cache_backend(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


@pytest.fixture
def private_redis(tmp_path, page_cache):
    """The cache is a redis-server of this test's own, which the test may stop, restart and freeze."""
    from publishing.safe_cache import reset_breaker

    server = RedisServer(tmp_path / "redis")
    server.start()
    caches = {
        "default": {
            "BACKEND": "ops.redis_cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=caches):
        yield server
    server.stop()
    reset_breaker()


@pytest.fixture
def clinical_pages(commit):
    """An article and the pages that show its title: its own, its category's and its tag's."""
    with commit():
        article = make_article(title="Azathioprine dosing", category=make_category(name="Immunology"))
        article.tags.add("Azathioprine")
    urls = [article.get_absolute_url(), article.category.get_absolute_url(), f"/tag/{Tag.objects.get().slug}/"]
    return article, urls


def warm(client, urls):
    for url in urls:
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == "hit", url


def edit_title(commit, article, title):
    with commit():
        article = Article.objects.get(pk=article.pk)
        article.title = title
        article.save()


def as_another_process():
    """A worker that never saw the outage, once its generation recheck is due (at most a second later)."""
    from ops import generation
    from publishing.safe_cache import reset_breaker

    reset_breaker()
    generation.forget()


def assert_pages_show(client, urls, title):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert title.encode() in response.content, f"{url} still shows the old page ({response.get('X-Page-Cache')})"


# --- Defect: stale pages after a Redis outage ---


def test_an_edit_saved_while_redis_is_shut_down_shows_once_it_restarts_on_its_saved_data(
    client, private_redis, clinical_pages, commit
):
    article, urls = clinical_pages
    warm(client, urls)
    private_redis.shutdown_saving()
    edit_title(commit, article, "Azathioprine dosing in kidney disease")
    private_redis.start()
    assert private_redis.client().dbsize() > 0, "Redis came back without the pages it saved"
    as_another_process()
    assert_pages_show(client, urls, "Azathioprine dosing in kidney disease")


def test_an_edit_saved_while_redis_is_frozen_shows_once_it_resumes(client, private_redis, clinical_pages, commit):
    article, urls = clinical_pages
    warm(client, urls)
    private_redis.freeze()
    try:
        edit_title(commit, article, "Azathioprine dosing in liver disease")
    finally:
        private_redis.thaw()
    as_another_process()
    assert_pages_show(client, urls, "Azathioprine dosing in liver disease")


def test_pages_from_a_snapshot_older_than_an_edit_are_not_served_after_redis_crashes_and_restarts(
    client, private_redis, clinical_pages, commit
):
    article, urls = clinical_pages
    warm(client, urls)
    private_redis.client().save()  # the snapshot holds these pages and their versions
    edit_title(commit, article, "Azathioprine and TPMT testing")  # bumped in Redis's memory only
    assert_pages_show(client, urls, "Azathioprine and TPMT testing")
    private_redis.kill()
    private_redis.start()
    assert private_redis.client().dbsize() > 0, "Redis came back without its snapshot"
    as_another_process()
    assert_pages_show(client, urls, "Azathioprine and TPMT testing")


def test_pages_are_cached_again_after_the_outage(client, private_redis, clinical_pages, commit):
    article, urls = clinical_pages
    private_redis.shutdown_saving()
    edit_title(commit, article, "Azathioprine and pregnancy")
    private_redis.start()
    as_another_process()
    warm(client, urls)


# --- Defect: a page rendered just before a save stored as current ---


def test_a_page_rendered_before_a_concurrent_commit_is_not_filed_as_current(
    client, page_cache, cache_backend, clinical_pages, commit, monkeypatch
):
    article, urls = clinical_pages
    render_dependencies = page_cache_module.page_dependencies
    edited = []

    def commit_an_edit_once_the_page_is_rendered(view_name, context):
        # Called after the template rendered the old title and before the page is stored.
        if not edited:
            edited.append(True)
            edit_title(commit, article, "Azathioprine: new dosing advice")
        return render_dependencies(view_name, context)

    monkeypatch.setattr(page_cache_module, "page_dependencies", commit_an_edit_once_the_page_is_rendered)
    first = client.get(urls[0])
    assert b"Azathioprine dosing" in first.content and edited
    assert_pages_show(client, urls, "Azathioprine: new dosing advice")


# --- Defect: 500s while Redis is down ---


def test_search_answers_while_redis_is_down(client, redis_down):
    from search.indexing import reindex_all

    make_published_drug(generic_name="azathioprine")
    make_article(title="Azathioprine basics")
    reindex_all()
    found = client.get("/search/", {"q": "azathioprine"})
    assert found.status_code == 200
    assert "Azathioprine basics" in re.sub(r"</?mark>", "", found.content.decode())
    misspelt = client.get("/search/", {"q": "azathiaprine"})
    assert misspelt.status_code == 200 and b"Did you mean" in misspelt.content


@pytest.mark.parametrize("model", ["article", "drug"])
def test_admin_change_pages_and_presence_answer_while_redis_is_down(editor_client, redis_down, model):
    obj = make_article() if model == "article" else make_published_drug()
    app = obj._meta.app_label
    change = editor_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert change.status_code == 200
    presence = reverse(f"admin:{app}_{model}_presence", args=[obj.pk])
    assert editor_client.post(presence).json() == {"editing": []}
    assert editor_client.post(presence, {"leave": "1"}).status_code == 200


def direct_cache_uses(source: str) -> list[str]:
    """Lines that import Django's cache objects or call ``cache.x(...)`` / ``caches[...]`` directly."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.cache":
            found.append(f"{node.lineno}: from django.core.cache import ...")
        elif isinstance(node, ast.Import) and any(alias.name == "django.core.cache" for alias in node.names):
            found.append(f"{node.lineno}: import django.core.cache")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "caches":
            found.append(f"{node.lineno}: caches[...]")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"cache", "caches"}
        ):
            found.append(f"{node.lineno}: {node.func.value.id}.{node.func.attr}(...)")
    return found


def test_the_rule_finds_direct_cache_calls():
    assert direct_cache_uses("from django.core.cache import cache\ncache.get('k')\n") == [
        "1: from django.core.cache import ...",
        "2: cache.get(...)",
    ]
    assert direct_cache_uses("x = caches['default']\n") == ["1: caches[...]"]
    assert direct_cache_uses("from django.core.cache.backends import redis\n") == []


def test_every_cache_call_goes_through_the_fault_tolerant_wrapper():
    wrapper = ROOT / "publishing" / "safe_cache.py"
    assert wrapper.exists()
    skipped = {".venv", "site-packages", "tests", "migrations", "node_modules", "staticfiles"}  # ours, not packages
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == wrapper or skipped & set(path.relative_to(ROOT).parts):
            continue
        offenders += [f"{path.relative_to(ROOT)}:{use}" for use in direct_cache_uses(path.read_text())]
    assert offenders == [], "use publishing.safe_cache instead of Django's cache:\n" + "\n".join(offenders)
