"""System checks of the page cache's set-up."""

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs=None, **kwargs):
    """A page cache in one process's memory is never told about edits saved by the other processes."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return []
    backend = import_string(settings.CACHES["default"]["BACKEND"])
    if not issubclass(backend, LocMemCache):
        return []
    return [
        Warning(
            "The page cache is kept in each process's own memory (LocMemCache): with several gunicorn workers, "
            "or a manage.py command, an edit saved by one process leaves the others serving the old page.",
            hint="Set REDIS_URL, or leave CACHES at its default (files shared by the processes of this machine), "
            "or set PAGE_CACHE_SECONDS=0.",
            id="ops.W001",
        )
    ]
