"""Who has an article or drug page open in the admin right now.

Advisory only (the edit lock is what prevents lost work): each open change
form reports itself on load and then every ``HEARTBEAT_SECONDS``; an editor
who has not reported for ``STALE_SECONDS`` is taken to have left. Kept in the
cache, which production shares between app servers (Redis); while the cache
is down nobody is shown as editing, and the page works as usual.
"""

import time

from publishing.safe_cache import safe_get, safe_set

HEARTBEAT_SECONDS = 30
STALE_SECONDS = 90


def _key(obj) -> str:
    return f"workflow:editing:{obj._meta.label_lower}:{obj.pk}"


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def presence_touch(*, obj, user) -> list[str]:
    """Record that ``user`` has ``obj`` open; return the names of the others who have it open."""
    now = time.time()
    editors = {user_id: entry for user_id, entry in safe_get(_key(obj), {}).items() if now - entry[1] < STALE_SECONDS}
    editors[user.pk] = (display_name(user), now)
    safe_set(_key(obj), editors, STALE_SECONDS)
    return sorted(name for user_id, (name, _) in editors.items() if user_id != user.pk)


def presence_leave(*, obj, user) -> None:
    editors = safe_get(_key(obj), {})
    if editors.pop(user.pk, None) is not None:
        safe_set(_key(obj), editors, STALE_SECONDS)
