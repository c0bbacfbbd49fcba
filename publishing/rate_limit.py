"""Fixed-window request counting per client, kept in the shared cache (the read API's limit, reader feedback's).

Counts go through ``publishing.safe_cache``: when the cache is down nobody is
limited, rather than everybody getting an error. The read-then-write is not
atomic, so under a burst from one client a few requests more than the limit
may pass; a limit for fairness, not a quota.
"""

import math

from publishing.safe_cache import safe_get, safe_set


def seconds_to_wait(client: str, requests: int, seconds: int, now: float, *, scope: str = "api-rate") -> int:
    """0 when ``client`` may go ahead (and count this request), else the seconds until its window ends."""
    window = int(now // seconds)
    key = f"{scope}:{seconds}:{window}:{client}"
    count = (safe_get(key) or 0) + 1
    if count > requests:
        return max(1, math.ceil((window + 1) * seconds - now))
    safe_set(key, count, timeout=seconds + 1)
    return 0
