"""Keep stored "See also" scores in step with publishing and tagging, and the kept categories current.

Once the surrounding transaction commits, one ``refresh_see_also_task`` per
article goes to the task worker (``articles.tasks``), so an admin save that
writes the article and then its tags queues one run, and returns without
waiting for it. A bulk import wraps itself in ``see_also_deferred()`` and
rebuilds at the end.
"""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

from articles.models import Article, Category, forget_categories
from publishing.switches import ThreadSwitch
from publishing.task_queue import enqueue_now_once

_deferred = ThreadSwitch()
# Skip automatic recomputation inside the block (bulk writes).
see_also_deferred = _deferred.turned_on
# Sent with ``article_id`` once the task has rewritten the stored lists it touches (committed): the page cache
# (ops.receivers) expires the pages that may show an old list.
see_also_refreshed = Signal()


def schedule_see_also(article_id: int) -> None:
    if _deferred.is_on or _already_queued(article_id):
        return
    # robust: the save has committed by then; a queue that cannot be written to is logged, not a failed save.
    transaction.on_commit(_RefreshSeeAlso(article_id), robust=True)


class _RefreshSeeAlso:
    def __init__(self, article_id: int):
        self.article_id = article_id

    def __call__(self):
        from articles.tasks import refresh_see_also_task

        enqueue_now_once(refresh_see_also_task, article_id=self.article_id)


def _already_queued(article_id: int) -> bool:
    # Django drops queued callbacks on rollback, so looking in its own queue
    # (rather than keeping a set of ours) can never leave a stale entry.
    queued = getattr(connection, "run_on_commit", [])
    return any(isinstance(entry[1], _RefreshSeeAlso) and entry[1].article_id == article_id for entry in queued)


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_see_also(instance.pk)


@receiver(m2m_changed, sender=Article.tags.through)
def article_retagged(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        schedule_see_also(instance.pk)


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def category_changed(sender, **kwargs):
    forget_categories()
