"""Keep the search index in step with articles, drugs, site pages, their names and tags.

Each change queues one refresh per object until the transaction commits, so
an admin save that writes an article and then its tags rewrites its row
once, and a rolled-back change never reaches the index. A bulk import skips
signals (``search_index_deferred()``) and calls ``search.indexing.reindex_all`` at the end.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from articles.models import Article, TagAlias
from drugs.models import Drug, DrugName
from pages.models import Page
from publishing.switches import ThreadSwitch
from publishing.task_queue import enqueue_now_once
from search.models import Kind
from search.services import forget_drug_names
from search.tasks import reindex_tag_group_task

_deferred = ThreadSwitch()
# Skip per-object index refreshes inside the block; call ``reindex_all`` (or ``reindex_articles``) after.
search_index_deferred = _deferred.turned_on


class _Refresh:
    def __init__(self, kind: str, object_id: int):
        self.kind = kind
        self.object_id = object_id

    def __call__(self):
        from search.indexing import REINDEX

        REINDEX[self.kind]([self.object_id])

    def __eq__(self, other):
        return isinstance(other, _Refresh) and (self.kind, self.object_id) == (other.kind, other.object_id)

    def __hash__(self):
        return hash((self.kind, self.object_id))


def schedule_refresh(kind: str, object_id: int | None) -> None:
    if object_id is None or _deferred.is_on:
        return
    refresh = _Refresh(kind, object_id)
    # Django drops queued callbacks on rollback, so looking in its own queue
    # can never leave a stale entry behind.
    if any(entry[1] == refresh for entry in getattr(connection, "run_on_commit", [])):
        return
    transaction.on_commit(refresh)


@receiver([post_save, post_delete], sender=Article)
def article_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh(Kind.ARTICLE, instance.pk)


@receiver(m2m_changed, sender=Article.tags.through)
def article_retagged(sender, instance, action, model=None, pk_set=None, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Article):
        schedule_refresh(Kind.ARTICLE, instance.pk)
    elif model is Article:
        for pk in pk_set or ():
            schedule_refresh(Kind.ARTICLE, pk)


@receiver([post_save, post_delete], sender=TaggedItem)
def tagged_item_changed(sender, instance, raw=False, **kwargs):
    """Tag merges and imports write ``TaggedItem`` rows directly."""
    if not raw and instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        schedule_refresh(Kind.ARTICLE, instance.object_id)


@receiver([post_save, post_delete], sender=TagAlias)
def tag_alias_changed(sender, instance, raw=False, **kwargs):
    """Articles carrying either name become findable by the other (or stop being): on the task worker, as
    there can be tens of thousands (``search.tasks``)."""
    if raw or _deferred.is_on:
        return
    tag_id, main_id = instance.tag_id, instance.main_id
    transaction.on_commit(lambda: enqueue_now_once(reindex_tag_group_task, tag_id=tag_id, main_id=main_id))


@receiver([post_save, post_delete], sender=Drug)
def drug_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh(Kind.DRUG, instance.pk)
        forget_drug_names()


@receiver([post_save, post_delete], sender=DrugName)
def drug_name_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh(Kind.DRUG, instance.drug_id)
        forget_drug_names()


@receiver(m2m_changed, sender=Drug.classes.through)
def drug_reclassified(sender, instance, action, model=None, pk_set=None, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Drug):
        schedule_refresh(Kind.DRUG, instance.pk)
    elif model is Drug:
        for pk in pk_set or ():
            schedule_refresh(Kind.DRUG, pk)


@receiver([post_save, post_delete], sender=Page)
def page_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh(Kind.PAGE, instance.pk)
