"""Django's file cache, counting its files once every ``CULL_EVERY`` writes instead of on every write.

Django's ``FileBasedCache`` lists the whole cache directory before each write
to see whether it is over ``MAX_ENTRIES``. Publishing one article gives new
versions to a few hundred keys, and with a few thousand pages cached that
listing was most of an editor's save (about a second at 2,300 files). Here a
process looks once every ``CULL_EVERY`` writes, so the directory may hold
that many entries over ``MAX_ENTRIES`` per process before it is culled.
"""

import itertools

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100

_writes = itertools.count(1)


class FileCache(FileBasedCache):
    def _cull(self):
        if next(_writes) % CULL_EVERY == 0:
            super()._cull()
