"""The cache generation: no page stored before a failed invalidation is served after it.

An edit bumps the versions of what it changed in the cache. When the cache is
down or frozen that bump is lost, and a Redis that comes back on its saved
data still holds the old pages under versions that look current. So a failed
bump raises a generation kept in the database, in the editor's own
transaction; every stored page records the generation it was rendered under,
and a page of another generation is a miss. A Redis that restarts (a new
run id) may have come back on a snapshot older than the last edits, which
bumped versions it no longer has, so the first process to see the new run id
raises the generation too.

Reading the database on every hit would double a hit's cost, so each process
keeps the generation it last read and reads it again at most every
``RECHECK_SECONDS``, and at once when the cache answers again after this
process saw it down: after an edit made during a cache outage, or a Redis
restart, a process stops serving the older pages within that time. While the
database is down
no edit can be saved, so the generation last read stays valid and cached
pages keep being served.
"""

import contextlib
import time

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ops.models import CacheGeneration
from publishing.safe_cache import is_marked_down, server_id

RECHECK_SECONDS = 1.0
_known: int | None = None
_read_at = float("-inf")
_read_while_cache_down = False


def current() -> int | None:
    """The generation pages must carry to be served; None only if the database never answered this process."""
    global _known, _read_at, _read_while_cache_down
    now = time.monotonic()
    # Also as soon as the cache is back after an outage: it may have restarted meanwhile.
    if now - _read_at >= RECHECK_SECONDS or (_read_while_cache_down and not is_marked_down()):
        _read_at = now
        # Database down: keep the last generation read (no edit can be saved meanwhile).
        with contextlib.suppress(DatabaseError):
            _known = _read()
        _read_while_cache_down = is_marked_down()
    return _known


def _read() -> int:
    generation, checked_server = CacheGeneration.objects.filter(pk=1).values_list(
        "generation", "cache_server"
    ).first() or (0, None)
    server = server_id()
    if server is None or server == checked_server:
        return generation
    # The cache server restarted since the generation was last checked against it: only one process raises it.
    if checked_server is None:
        with contextlib.suppress(IntegrityError), transaction.atomic():
            CacheGeneration.objects.create(pk=1, generation=1, raised_at=timezone.now(), cache_server=server)
    else:
        CacheGeneration.objects.filter(pk=1, cache_server=checked_server).update(
            generation=F("generation") + 1, raised_at=timezone.now(), cache_server=server
        )
    return CacheGeneration.objects.filter(pk=1).values_list("generation", flat=True).get()


def forget() -> None:
    """Read the generation again on the next call (after raising it, and between tests)."""
    global _read_at
    _read_at = float("-inf")


_read_while_cache_down = False


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
