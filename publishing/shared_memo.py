"""Values each process keeps in memory, rebuilt when a version in the shared cache changes.

Some things nearly every page shows change a few times a year and number in
the tens: the categories, the navigation links. Reading them from the
database on each request cost a round trip and building the rows (a tenth of
an uncached listing page); keeping them in the shared cache still cost a
round trip each and unpickling them. A ``SharedMemo`` keeps its value in the
process. Every memo answers to one version, a number in the shared cache
read once per request: a change to any kept value gives it a new version
(``forget()``: at once, and again when the write commits), and every process
rebuilds what it keeps on its next request, wherever the write was made.
They change so rarely that rebuilding all of them for any change costs
nothing worth a version each, and a page that shows several pays one round
trip.

The value is built and not kept when it cannot be trusted beyond this request:

- inside a transaction (a preview that will be rolled back, a write in
  progress: what it reads must not reach other requests);
- when the shared cache is down or has lost the version (then no process can
  tell whether its copy is current).

A kept value is also rebuilt after ``max_age`` seconds whatever the version
says: that bounds how long a process could go on showing an old value when a
change's new version never reached the cache (Redis down or restarted from an
older snapshot at that moment).
"""

import secrets
import time
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from asgiref.local import Local
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.dispatch import receiver

from publishing.safe_cache import is_marked_down, safe_get, safe_set

VERSION_KEY = "memo:version"

Value = TypeVar("Value")


class _Kept(NamedTuple, Generic[Value]):
    version: int
    built_at: float
    value: Value


class SharedMemo(Generic[Value]):
    """``build()``'s value, kept per process until ``forget()`` is called in any process (or ``max_age`` passes).

    The value is shared by every request of the process: treat it as read-only.
    """

    def __init__(self, build: Callable[[], Value], *, max_age: float = 60.0):
        self.build = build
        self.max_age = max_age
        self._kept: _Kept | None = None

    def get(self) -> Value:
        if _in_transaction():
            return self.build()
        version = _version()
        if version is None:
            return self.build()
        kept = self._kept
        if kept is not None and kept.version == version and time.monotonic() - kept.built_at < self.max_age:
            return kept.value
        value = self.build()
        self._kept = _Kept(version, time.monotonic(), value)
        return value

    def forget(self) -> None:
        """Have every process rebuild this value (and every other kept one): see ``forget_kept_values()``."""
        forget_kept_values()


def forget_kept_values() -> None:
    """Have every process rebuild what it keeps: now (this process's next read) and once the write commits."""
    _new_version()
    transaction.on_commit(_new_version)


# The version read by the current request (thread or task), so every memo a page uses costs one round trip.
# Outside a request (a command, a task) nothing is remembered: each read asks the cache.
_this_request = Local()


@receiver(request_started)
def _request_started(**kwargs):
    _this_request.reading = True
    _this_request.version = None


@receiver(request_finished)
def _request_finished(**kwargs):
    _this_request.reading = False


def _version() -> int | None:
    """The current version, or None when it cannot be trusted (cache down; missing, so set anew for later)."""
    in_request = getattr(_this_request, "reading", False)
    if in_request and _this_request.version is not None:
        return _this_request.version
    version = safe_get(VERSION_KEY)
    if version is None and not is_marked_down():
        version = _new_version()  # lost (evicted, a new cache); values built after this may be kept under it
    if in_request:
        _this_request.version = version
    return version


def _new_version() -> int | None:
    """Store a new version; it, or None when the cache did not take it."""
    # Random rather than counted: a version lost from the cache can never come back equal to an old one.
    version = secrets.randbits(48)
    _this_request.version = None  # this request's next read asks the cache
    return version if safe_set(VERSION_KEY, version, timeout=None) else None


def _in_transaction() -> bool:
    # A test's own transaction (Django's TestCase, pytest-django's ``db``) stands for committed data, as
    # Django's ``durable`` check treats it; any other open block may yet roll back.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
