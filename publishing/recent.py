"""A process's most recent values: a bounded map that drops the oldest entry first.

For copies a process may keep of what it made or fetched last (pages served, article cards rendered), where
losing an entry only costs making it again. Safe to share between threads: a race loses an entry, never
raises.
"""

from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class RecentEntries(Generic[Value]):
    """At most ``size`` values by key; remembering one more drops the oldest."""

    def __init__(self, size: int):
        self.size = size
        self._entries: dict[Hashable, Value] = {}

    def get(self, key: Hashable) -> Value | None:
        return self._entries.get(key)

    def remember(self, key: Hashable, value: Value) -> None:
        self._entries.pop(key, None)
        while len(self._entries) >= self.size:
            try:
                del self._entries[next(iter(self._entries))]
            except (KeyError, RuntimeError, StopIteration):  # another thread changed it meanwhile
                break
        self._entries[key] = value
