"""A per-client rate limit for the read API: ``API_RATE_LIMIT = "120/60"`` allows 120 requests a minute.

It sits outside the page cache, so cached answers count too. Counts are kept
in fixed windows in the shared cache through ``publishing.safe_cache``'s helpers: when
the cache is down nobody is limited, rather than everybody getting an error.
The read-then-write is not atomic, so under a burst from one client a few
requests more than the limit may pass; a limit for fairness, not a quota.
"""

import math
import time
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse

from publishing.safe_cache import safe_get, safe_set
from security.network import client_ip_address

API_PREFIX = "/api/"


@lru_cache(maxsize=8)
def parse_rate(text: str) -> tuple[int, int] | None:
    """``"120/60"`` as (120 requests, 60 seconds); None for an empty setting (no limit)."""
    if not text.strip():
        return None
    try:
        requests, seconds = (int(part) for part in text.split("/"))
    except ValueError:
        raise ImproperlyConfigured(
            f'API_RATE_LIMIT must look like "120/60" (requests/seconds), not {text!r}.'
        ) from None
    if requests < 1 or seconds < 1:
        raise ImproperlyConfigured("API_RATE_LIMIT needs at least one request in at least one second.")
    return requests, seconds


def seconds_to_wait(client: str, requests: int, seconds: int, now: float) -> int:
    """0 when the client may go ahead (and count this request), else the seconds until its window ends."""
    window = int(now // seconds)
    key = f"api-rate:{seconds}:{window}:{client}"
    count = (safe_get(key) or 0) + 1
    if count > requests:
        return max(1, math.ceil((window + 1) * seconds - now))
    safe_set(key, count, timeout=seconds + 1)
    return 0


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = parse_rate(getattr(settings, "API_RATE_LIMIT", "") or "")
        if rate is None or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        wait = seconds_to_wait(client_ip_address(request) or "unknown", *rate, now=time.time())
        if not wait:
            return self.get_response(request)
        response = JsonResponse(
            {
                "detail": f"Too many requests: at most {rate[0]} every {rate[1]} seconds. Try again in {wait} seconds.",
                "errors": [],
            },  # fmt: skip
            status=429,
        )
        response["Retry-After"] = str(wait)
        response["Cache-Control"] = "no-store"
        return response
