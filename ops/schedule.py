"""When the next scheduled page (of any publishable type) goes live, or the next one expires.

Cached pages must not outlive that moment, or a scheduled article would stay
missing from them with no write to bump anything. When an unpublish time has
passed, the first page rendered after it moves the expired pages to
unpublished (``workflow.services.expire_due``), so no cron job is needed. The answer is one indexed
query, itself cached until that moment (or for five minutes) and forgotten
whenever an article or drug is saved (or, when the cache missed that, with the
next cache generation).
"""

from datetime import datetime

from django.utils import timezone

from ops import generation
from publishing.registry import publishable_models
from publishing.safe_cache import safe_delete, safe_get, safe_set
from workflow.services import expire_due

CACHE_PREFIX = "schedule:next-publish:"
RECHECK_SECONDS = 300
_NOTHING = "none"


def next_publish_time() -> datetime | None:
    """The earliest publish time still in the future, or None."""
    now = timezone.now()
    cached = safe_get(_cache_key())
    if cached == _NOTHING:
        return None
    if isinstance(cached, datetime) and cached > now:
        return cached
    if isinstance(cached, datetime):
        expire_due()  # a moment passed: bring expired pages' state into line (a no-op for a publish time)
    found = _query_next_publish(now)
    timeout = RECHECK_SECONDS if found is None else max(1, min(RECHECK_SECONDS, (found - now).total_seconds()))
    safe_set(_cache_key(), found or _NOTHING, timeout)
    return found


def _query_next_publish(now: datetime) -> datetime | None:
    times = [
        model.objects.published_or_scheduled()
        .filter(**{f"{field}__gt": now})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for model in publishable_models()
        for field in ("published_at", "expires_at")
    ]
    times = [time for time in times if time is not None]
    return min(times) if times else None


def _cache_key() -> str:
    return f"{CACHE_PREFIX}{generation.current()}"


def forget_next_publish() -> None:
    safe_delete(_cache_key())
