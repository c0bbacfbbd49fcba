"""The cache generation: no page stored before a failed invalidation is served after it.

An edit bumps the versions of what it changed in the cache. When the cache is
down or frozen that bump is lost, and a Redis that comes back on its saved
data still holds the old pages under versions that look current. So a failed
bump raises a generation kept in the database, in the editor's own
transaction; every stored page records the generation it was rendered under,
and a page of another generation is a miss.

Reading the database on every hit would double a hit's cost, so each process
keeps the generation it last read and reads it again at most every
``RECHECK_SECONDS``: after an edit made during a cache outage, a process
stops serving the older pages within that time. While the database is down
no edit can be saved, so the generation last read stays valid and cached
pages keep being served.
"""

import contextlib
import time

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ops.models import CacheGeneration

RECHECK_SECONDS = 1.0
_known: int | None = None
_read_at = float("-inf")


def current() -> int | None:
    """The generation pages must carry to be served; None only if the database never answered this process."""
    global _known, _read_at
    now = time.monotonic()
    if now - _read_at >= RECHECK_SECONDS:
        _read_at = now
        # Database down: keep the last generation read (no edit can be saved meanwhile).
        with contextlib.suppress(DatabaseError):
            _known = CacheGeneration.objects.filter(pk=1).values_list("generation", flat=True).first() or 0
    return _known


def forget() -> None:
    """Read the generation again on the next call (after raising it, and between tests)."""
    global _read_at
    _read_at = float("-inf")


def raise_generation() -> None:
    """Record that an invalidation did not reach the cache: every page stored until now is out of date."""
    rows = CacheGeneration.objects.filter(pk=1)
    if not rows.update(generation=F("generation") + 1, raised_at=timezone.now()):
        try:
            with transaction.atomic():
                CacheGeneration.objects.create(pk=1, generation=1, raised_at=timezone.now())
        except IntegrityError:  # another process created it meanwhile
            rows.update(generation=F("generation") + 1, raised_at=timezone.now())
    forget()
