"""The zero-setup cache is shared by every process on the machine, so an edit in one is seen by all.

With no REDIS_URL, gunicorn's workers and ``manage.py`` commands are separate
processes; a per-process cache would let each keep serving its own copy of a
page another process's edit made stale.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parent.parent

READER = """
import sys
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for url in sys.stdin:
    response = client.get(url.strip())
    title = response.content.split(b"<title>")[1].split(b"</title>")[0].decode()
    print(response.status_code, response.get("X-Page-Cache"), title, flush=True)
"""

SETUP = """
from tests.factories import make_article
print(make_article(title="Methotrexate weekly dosing", slug="methotrexate").get_absolute_url())
"""

EDIT = """
from articles.models import Article
article = Article.objects.get(slug="methotrexate")
article.title = "Methotrexate: once a week, never daily"
article.save()
"""


@pytest.fixture
def zero_setup_environment(tmp_path):
    """The README's zero-setup run: a SQLite file and no REDIS_URL (dev settings, which need no collectstatic)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("REDIS_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="medsite.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        FILE_CACHE_DIR=str(tmp_path / "cache"),
        PAGE_CACHE_SECONDS="600",
        LOG_LEVEL="ERROR",
    )
    manage(env, "migrate", "--verbosity", "0")
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs
    )


def test_an_edit_saved_by_one_process_is_seen_by_another_that_cached_the_page(zero_setup_environment):
    env = zero_setup_environment
    url = manage(env, "shell", "--no-imports", "-c", SETUP).stdout.strip()
    reader = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", READER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:

        def read():
            reader.stdin.write(url + "\n")
            reader.stdin.flush()
            return reader.stdout.readline().split(" ", 2)

        assert read()[:2] == ["200", "miss"]
        assert read()[:2] == ["200", "hit"]
        manage(env, "shell", "--no-imports", "-c", EDIT)  # another process: a second worker, or manage.py
        status, _, title = read()
        assert status == "200"
        assert "once a week, never daily" in title, f"the reader kept its own stale copy: {title!r}"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)


def test_the_default_cache_is_shared_files_in_a_private_directory(zero_setup_environment):
    code = (
        "from django.conf import settings; from publishing.safe_cache import safe_set; "
        "assert safe_set('probe', 1, 10); print(settings.CACHES['default']['BACKEND'])"
    )
    backend = manage(zero_setup_environment, "shell", "--no-imports", "-c", code).stdout.strip()
    assert backend == "ops.file_cache.FileCache"
    cache_dir = Path(zero_setup_environment["FILE_CACHE_DIR"])
    assert cache_dir.is_dir() and (cache_dir.stat().st_mode & 0o077) == 0, (
        "cache files are unpickled: keep them private"
    )


def deploy_warnings() -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("ops.")]


def test_check_deploy_warns_when_the_page_cache_lives_in_one_process_memory(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert deploy_warnings() == ["ops.W001"]


@pytest.mark.parametrize("backend", ["ops.file_cache.FileCache", "ops.redis_cache.RedisCache"])
def test_a_shared_cache_or_no_page_cache_needs_no_warning(settings, tmp_path, backend):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path) if "file" in backend else "redis://x"}}
    assert deploy_warnings() == []
    settings.PAGE_CACHE_SECONDS = 0
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert deploy_warnings() == []


def test_the_file_cache_counts_its_files_once_every_hundred_writes_and_still_culls(tmp_path, monkeypatch):
    from ops.file_cache import CULL_EVERY, FileCache

    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50}})
    listings = []
    list_files = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listings.append(1) or list_files(self))
    writes = 10 * CULL_EVERY
    for number in range(writes):
        cache.set(f"key-{number}", number)
    assert len(listings) <= writes // CULL_EVERY + 1  # Django's own backend lists the directory on every write
    assert len(list(tmp_path.glob("*.djcache"))) < writes // 2  # culled: not one file per write
