import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    from tests.factories import make_staff

    return make_staff(username="editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A context manager standing in for a transaction commit.

    pytest-django wraps each test in a transaction that never commits, so
    ``on_commit`` work (the "See also" refresh) never runs by itself. Inside
    ``with commit():`` writes queue their callbacks as usual; on exit they run,
    and, as after a real commit, the queue is emptied, so a later write to the
    same article is queued afresh instead of looking already scheduled.
    """
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def _commit():
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        del connection.run_on_commit[start:]

    return _commit
