"""Where originals live: a storage of their own, never served to readers.

An original is kept exactly as uploaded, so it may carry EXIF data with the
place a photo was taken. Readers only ever get renditions (made from the
original with that data removed) from the default, public storage; the
originals go to the ``image_originals`` storage: a folder outside
MEDIA_ROOT, or a private prefix of the bucket.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ORIGINALS = "image_originals"


class _OriginalsStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ORIGINALS]


originals = _OriginalsStorage()


def originals_storage():
    """The ``storage=`` of ``Image.file``: a callable, so migrations name it rather than a configured instance."""
    return originals


@receiver(setting_changed)
def _forget_storage(setting, **kwargs):
    if setting == "STORAGES":
        originals._wrapped = empty
