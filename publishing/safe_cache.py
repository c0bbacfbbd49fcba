"""The one way into the cache: calls that never take a page down.

Django's Redis backend raises when Redis is unreachable or frozen. Readers must
still get pages then, served uncached, and editors must still save, so every
cache read and write in the project goes through these helpers (a test finds
any direct use of Django's cache elsewhere): an error is logged once, the
cache counts as down for ``RETRY_AFTER_SECONDS`` (so a dead Redis costs one
failed connection per process every few seconds, not one per request), reads
get a miss and writes report that they were not stored.

It sits at the bottom of the project so every layer (workflow, search, the
page cache) can use it.
"""

import logging
import secrets
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
PROBE_KEY = "healthz:probe"
_down_until = 0.0


def cache_backend():
    return caches["default"]


def is_marked_down() -> bool:
    return time.monotonic() < _down_until


def _mark_down(error: Exception) -> None:
    global _down_until
    if not is_marked_down():
        logger.warning("Cache unavailable, serving pages uncached for %ss: %s", RETRY_AFTER_SECONDS, error)
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS


def reset_breaker() -> None:
    """Forget a recorded outage (tests, and the health check once the cache answers)."""
    global _down_until
    _down_until = 0.0


def _guarded(operation, default):
    if is_marked_down():
        return default
    try:
        return operation()
    except Exception as error:  # any backend error means "no cache", never a 5xx
        _mark_down(error)
        return default


def _stored(write) -> bool:
    """Run a write; True when the cache took it, False when it was skipped or failed."""

    def operation():
        write()
        return True

    return _guarded(operation, False)


def safe_get(key: str, default=None):
    return _guarded(lambda: cache_backend().get(key, default), default)


def safe_get_many(keys: list[str]) -> dict | None:
    """Values of ``keys`` found in the cache, or None when the cache is down."""
    return _guarded(lambda: cache_backend().get_many(keys), None)


def safe_set(key: str, value, timeout: float | None) -> bool:
    return _stored(lambda: cache_backend().set(key, value, timeout))


def safe_set_many(values: dict, timeout: float | None) -> bool:
    """Store every value; False when the cache could not be reached (some may or may not have been stored)."""
    # set_many returns the keys it failed to store (memcached); Redis, files and local memory store all or raise.
    return _guarded(lambda: not cache_backend().set_many(values, timeout), False)


def safe_delete(key: str) -> bool:
    return _stored(lambda: cache_backend().delete(key))


def server_id() -> str | None:
    """An id that changes whenever the cache server restarts (Redis's run_id); None for other caches or when down.

    A Redis restarted from a snapshot has lost what was written after it: the
    caller treats a new id like a failed write. The primary's id (the server
    writes go to), so read replicas never make it look as if it changed.
    """
    backend = cache_backend()
    if not isinstance(backend, RedisCache):
        return None
    return _guarded(lambda: backend._cache.get_client(write=True).info("server").get("run_id"), None)


def probe() -> str:
    """ "ok" when a value written to the cache reads back, else "down: <why>" (for /healthz); ignores the breaker."""
    value = secrets.token_hex(4)
    try:
        backend = cache_backend()
        backend.set(PROBE_KEY, value, 10)
        if backend.get(PROBE_KEY) != value:
            return "down: value not read back"
    except Exception as error:  # the cache client raises its own error types
        return f"down: {type(error).__name__}"
    reset_breaker()
    return "ok"
