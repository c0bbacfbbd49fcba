"""A per-thread on/off switch for skipping signal work during bulk writes.

Bulk imports and the demo loader turn off per-row work (See also scores,
search index, page-cache invalidation) and redo it once at the end.
"""

import threading
from contextlib import contextmanager


class ThreadSwitch:
    def __init__(self):
        self._local = threading.local()

    @property
    def is_on(self) -> bool:
        return getattr(self._local, "on", False)

    @contextmanager
    def turned_on(self):
        """Turn the switch on inside the block, restoring what it was after."""
        previous = self.is_on
        self._local.on = True
        try:
            yield
        finally:
            self._local.on = previous
