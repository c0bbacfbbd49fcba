import pytest
from django.core.cache import cache
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered

from tests.environment import skip_or_fail


def _instrumented_jinja2_render(render):
    """Send ``template_rendered`` for a Jinja2 page, as the test environment does for Django templates, so
    ``response.context`` holds a Jinja2 page's context too (the listing pages are Jinja2: medsite/jinja.py)."""

    def instrumented(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=context)
        return render(self, context, request)

    return instrumented


jinja2_backend.Template.render = _instrumented_jinja2_render(jinja2_backend.Template.render)


def _renditions_encoded_once_per_session():
    """Encode each (original, width, height, format) once per test process and reuse the bytes afterwards.

    Encoding is deterministic, so a repeat gives the same bytes; the demo's drawn images alone were 3.5 s of each
    ``load_demo``, which dozens of tests run. The first test to ask still encodes for real, and every rendition is
    still saved, stored and served as in production; only the repeated encoding of identical input is skipped.
    """
    from images.renditions import Source

    encoded: dict[tuple, bytes] = {}
    make_source, render = Source.__init__, Source.render

    def remember_original(self, image):
        make_source(self, image)
        self.original_hash = image.content_hash

    def render_once(self, width, height, image_format):
        if not self.original_hash:
            return render(self, width, height, image_format)
        key = (self.original_hash, width, height, image_format)
        if key not in encoded:
            encoded[key] = render(self, width, height, image_format)
        return encoded[key]

    Source.__init__, Source.render = remember_original, render_once


_renditions_encoded_once_per_session()


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes uploads (renditions, and image originals) to its own folders and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "image_originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "image-originals", "base_url": "/never-served/"},
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Tests see the views' own responses; tests of the page cache ask for ``page_cache``."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings):
    """Turn the anonymous page cache on, as in production."""
    from ops import generation
    from publishing.safe_cache import reset_breaker

    settings.PAGE_CACHE_SECONDS = 600
    reset_breaker()
    generation.forget()  # a generation raised by an earlier test was rolled back with it
    yield
    reset_breaker()
    generation.forget()


@pytest.fixture
def redis_cache():
    """The production cache backend on a real Redis (TEST_REDIS_URL, default database 15 on localhost).

    Keys get a prefix of their own, removed afterwards, so runs sharing the server never see each other's entries.
    Skips when no Redis answers (fails under CI=true).
    """
    import os
    import uuid

    import redis
    from django.core.cache import caches
    from django.test import override_settings

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        skip_or_fail(f"no Redis answered at {url}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings = {
        "default": {
            "BACKEND": "ops.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=settings):
        yield caches["default"]
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


@pytest.fixture
def redis_down():
    """The cache is production's Redis backend, and Redis is not answering (nothing listens on port 1)."""
    import redis
    from django.core.cache import caches
    from django.test import override_settings

    from ops.redis_cache import RedisCache
    from publishing.safe_cache import reset_breaker

    redis_down = {
        "default": {
            "BACKEND": "ops.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    reset_breaker()
    with override_settings(CACHES=redis_down):
        assert isinstance(caches["default"], RedisCache)
        with pytest.raises(redis.ConnectionError):  # really down, not merely empty
            caches["default"].get("any-key")
        yield
    reset_breaker()


@pytest.fixture
def editor(db):
    from tests.factories import make_staff

    return make_staff(username="editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def run_queued_tasks(queue: str = "derived") -> int:
    """Run every task waiting in ``queue`` of the database backend, as ``manage.py db_worker`` does.

    Each task is claimed and run by the worker's own ``Worker.run_task`` (success or failure recorded on its
    result row), inside the test's transaction; the worker command itself opens a transaction of its own, so only
    ``transaction=True`` tests can call it. Tasks a task queues (a retry due later) wait for their time.
    Returns the result rows, refreshed.
    """
    from django_tasks.base import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=[queue],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
    )
    ran = []
    while (result := DBTaskResult.objects.ready().filter(queue_name=queue).first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        ran.append(result)
    return ran


@pytest.fixture
def run_tasks(db):
    """``run_tasks()`` runs the tasks waiting in the "derived" queue, as its worker would."""
    return run_queued_tasks


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A context manager standing in for a transaction commit and the task worker that follows it.

    pytest-django wraps each test in a transaction that never commits, so
    ``on_commit`` work never runs by itself. Inside ``with commit():`` writes
    queue their callbacks as usual, in a queue of their own, as in a new
    transaction (callbacks queued by the test's earlier writes are set aside:
    a write here must not add its work to one of them, which never runs); on
    exit they run, and, as after a real commit, they leave the queue, so a
    later write to the same article is queued afresh instead of looking
    already scheduled. Then the tasks those
    callbacks queued for the worker (the "See also" refresh) run, as the
    "derived" queue's worker does within a second of a save, unless
    ``commit(run_tasks=False)``.
    """
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def _commit(*, run_tasks: bool = True):
        earlier = connection.run_on_commit[:]
        del connection.run_on_commit[:]
        try:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                yield callbacks
        finally:
            connection.run_on_commit[:] = earlier
        if run_tasks:
            failed = [result for result in run_queued_tasks() if result.status == "FAILED"]
            assert not failed, failed[0].traceback

    return _commit
