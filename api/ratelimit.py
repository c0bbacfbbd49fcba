"""A per-client rate limit for the read API: ``API_RATE_LIMIT = "120/60"`` allows 120 requests a minute.

It sits outside the page cache, so cached answers count too. Counts are kept
in fixed windows in the shared cache (``publishing.rate_limit``, shared with
reader feedback): when the cache is down nobody is limited.
"""

import time
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse

from publishing.rate_limit import seconds_to_wait
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
