"""Version numbers of the things a cached page shows.

A cached page records, for each dependency key it rendered ("site",
"articles.article:12", "list:articles.article", ...), the version that key
had then. A write bumps the versions of what it touches; a read compares the
recorded versions with the current ones in one ``get_many`` and treats any
difference as a miss. Nothing is ever scanned or deleted by pattern, so this
works the same on local memory and on a Redis shared by many app servers.

Versions are random numbers rather than counters: a version key lost from the
cache (eviction, restart) can never come back equal to an old one. They are
integers because Django's Redis backend stores those as plain numbers, with
no pickling, and a page hit reads dozens of them.

Every bump also changes ``LAST_WRITE``. The page cache reads it before a view
renders and again with the versions it files the page under: when it changed,
a write committed while the page was rendering, the page may show the old
rows, and it is not stored (see ``RenderStart``). A bump that cannot reach the
cache raises the cache generation instead (``ops.generation``).
"""

import secrets
from dataclasses import dataclass

from ops import generation
from publishing.safe_cache import safe_get, safe_get_many, safe_set_many

SITE = "site"
ALL_CONTENT = "list:all"
PREFIX = "dep:"
LAST_WRITE = "last-write"


def model_key(instance_or_label, pk=None) -> str:
    """ "articles.article:12" for an Article with pk 12."""
    if pk is None:
        label, pk = instance_or_label._meta.label_lower, instance_or_label.pk
    else:
        label = instance_or_label
    return f"{label}:{pk}"


def list_key(label: str) -> str:
    """The key of "any row of this model", e.g. ``list:articles.article``."""
    return f"list:{label}"


def _new_version() -> int:
    return secrets.randbits(48)


def bump(keys) -> None:
    """Give every key in ``keys`` a new version, invalidating pages that rendered it.

    When the cache cannot take the new versions, the pages stay in it (or come
    back with its saved data) under versions that look current: the cache
    generation is raised instead, which no page stored before matches.
    """
    keys = set(keys)
    if keys and not safe_set_many({PREFIX + key: _new_version() for key in keys | {LAST_WRITE}}, timeout=None):
        generation.raise_generation()


@dataclass(frozen=True)
class RenderStart:
    """What the cache said before a page was rendered: the last write, and the cache generation."""

    last_write: int | None
    generation: int | None


def render_start() -> RenderStart:
    return RenderStart(last_write=safe_get(PREFIX + LAST_WRITE), generation=generation.current())


def current_versions(keys, since: RenderStart) -> dict[str, int] | None:
    """Current version of each key, creating those never seen.

    None when the cache is down, or when a write bumped versions after ``since``
    (the page rendered then may show rows older than the versions read now).
    """
    keys = sorted(set(keys))
    found = safe_get_many([PREFIX + key for key in keys] + [PREFIX + LAST_WRITE])
    if found is None or found.get(PREFIX + LAST_WRITE) != since.last_write:
        return None
    versions = {key: found.get(PREFIX + key) for key in keys}
    missing = {key: _new_version() for key, version in versions.items() if version is None}
    if missing:
        safe_set_many({PREFIX + key: version for key, version in missing.items()}, timeout=None)
        versions.update(missing)
    return versions


def still_current(recorded: dict[str, int]) -> bool:
    """True when no key a page depends on has been bumped since it was stored."""
    found = safe_get_many([PREFIX + key for key in recorded])
    if found is None:
        return False
    return all(found.get(PREFIX + key) == version for key, version in recorded.items())
