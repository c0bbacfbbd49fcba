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
"""

import secrets

from publishing.safe_cache import safe_get_many, safe_set_many

SITE = "site"
ALL_CONTENT = "list:all"
PREFIX = "dep:"


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
    """Give every key in ``keys`` a new version, invalidating pages that rendered it."""
    keys = set(keys)
    if keys:
        safe_set_many({PREFIX + key: _new_version() for key in keys}, timeout=None)


def current_versions(keys) -> dict[str, int] | None:
    """Current version of each key, creating those never seen; None when the cache is down."""
    keys = sorted(set(keys))
    found = safe_get_many([PREFIX + key for key in keys])
    if found is None:
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
