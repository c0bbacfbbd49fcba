"""Cache access that never takes a page down.

Django's Redis backend raises when Redis is unreachable. Readers must still
get pages then, served uncached, so every page-cache read and write goes
through these helpers: an error is logged once, the cache counts as down for
``RETRY_AFTER_SECONDS`` (so a dead Redis costs one failed connection per
process every few seconds, not one per request), and the caller gets a miss.
"""

import logging
import time

from django.core.cache import caches

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
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


def safe_get(key: str, default=None):
    return _guarded(lambda: cache_backend().get(key, default), default)


def safe_get_many(keys: list[str]) -> dict | None:
    """Values of ``keys`` found in the cache, or None when the cache is down."""
    return _guarded(lambda: cache_backend().get_many(keys), None)


def safe_set(key: str, value, timeout: float | None) -> None:
    _guarded(lambda: cache_backend().set(key, value, timeout), None)


def safe_set_many(values: dict, timeout: float | None) -> None:
    _guarded(lambda: cache_backend().set_many(values, timeout), None)


def safe_delete(key: str) -> None:
    _guarded(lambda: cache_backend().delete(key), None)
