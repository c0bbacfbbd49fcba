"""Bulk writes: per-row side effects are put off, then done once per batch and once at the end.

Saving one article in the admin sets off work in apps that stand above the
content (the search index, the page cache, derived counts); each listens to
model signals. An import writing thousands of rows a batch would do that
work thousands of times, so it writes inside ``bulk_writes()``::

    with bulk_writes() as bulk:
        for batch in batches:
            with transaction.atomic():
                articles = write(batch)
                bulk.written(Article, articles)

Apps take part from their own ``ready()`` with ``register_bulk_hook``: the
importer knows none of them, and a site without search simply has no
search hook. ``written`` runs inside the batch's transaction, so derived
rows commit (or roll back) with the rows they derive from: an import killed
between batches leaves every committed article findable and listed.
"""

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model


@dataclass(frozen=True)
class BulkHook:
    name: str
    # Entered for the whole bulk write: per-row signal work is skipped inside it.
    defer: Callable[[], AbstractContextManager]
    # These saved ``model`` instances were just written (called inside the batch's transaction).
    written: Callable[[type[Model], list[Model]], None] | None = None
    # Once after the last batch (per-row work still put off), even when the bulk write stopped part-way.
    finish: Callable[[], None] | None = None


_hooks: dict[str, BulkHook] = {}


def register_bulk_hook(hook: BulkHook) -> None:
    """Take part in every bulk write (call from an app's ``ready()``; registering a name again replaces it)."""
    _hooks[hook.name] = hook


class BulkWrites:
    def __init__(self, hooks: Iterable[BulkHook]):
        self.hooks = list(hooks)

    def written(self, model: type[Model], objects: list[Model]) -> None:
        """Tell every hook about a batch just written; call inside the batch's transaction."""
        for hook in self.hooks:
            if hook.written is not None:
                hook.written(model, objects)


@contextmanager
def bulk_writes(*, skip: Iterable[str] = ()):
    """Put off per-row work inside the block; ``skip`` names hooks to leave out altogether.

    The ``finish`` steps run while per-row work is still put off: a recount
    that rewrites thousands of derived rows must not set off a signal per row.
    """
    hooks = [hook for name, hook in _hooks.items() if name not in set(skip)]
    with ExitStack() as stack:
        for hook in hooks:
            stack.enter_context(hook.defer())
        try:
            yield BulkWrites(hooks)
        finally:
            for hook in hooks:
                if hook.finish is not None:
                    hook.finish()


@contextmanager
def row_work_put_off():
    """Put off every app's per-row signal work in this thread, and do nothing after.

    For writes that are rolled back at once (showing a revision in a form):
    unlike muting the signals, it leaves other threads' saves alone.
    """
    with ExitStack() as stack:
        for hook in _hooks.values():
            stack.enter_context(hook.defer())
        yield


def refresh_planner_statistics(models: Iterable[type[Model]]) -> None:
    """PostgreSQL plans from table statistics; after a bulk load they are stale until ANALYZE.

    Without it, the first pages after importing 100,000 articles were planned
    as if the tables were empty (a tag page took a second instead of 10 ms).
    Outside a transaction it is VACUUM ANALYZE, which also marks the new rows
    visible to all, so a deep page's ids come from an index alone.
    """
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
