"""The ``TagPublication`` rows: each tag of each published article, with its publish time.

A write that can change them (an article saved, a tag row added, moved or
removed) re-derives the rows of the articles it touched, inside the same
transaction, so a tag page read right after the write is already right.
Deleting an article or a tag removes its rows by cascade. Bulk writes (the
import) run inside ``counts_deferred()`` and ``rebuild()`` afterwards, as
``articles.counts`` does; ``manage.py rebuild_published_counts`` rebuilds both.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from articles.counts import counts_deferred_now
from articles.models import Article, Status, TagPublication

BATCH = 5000


def _article_items():
    return TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))


def sync(article_ids: Iterable[int | None]) -> None:
    """Make these articles' rows match their status, publish time and tags (three queries)."""
    ids = sorted({pk for pk in article_ids if pk is not None})
    if not ids:
        return
    TagPublication.objects.filter(article_id__in=ids).delete()
    published = dict(
        Article.objects.filter(pk__in=ids, status=Status.PUBLISHED, published_at__isnull=False).values_list(
            "pk", "published_at"
        )
    )
    if not published:
        return
    items = _article_items().filter(object_id__in=list(published)).values_list("object_id", "tag_id")
    TagPublication.objects.bulk_create(
        [TagPublication(tag_id=tag_id, article_id=pk, published_at=published[pk]) for pk, tag_id in items],
        ignore_conflicts=True,
    )


@transaction.atomic
def rebuild() -> int:
    """Derive every row again (after bulk writes). Returns how many there are."""
    TagPublication.objects.all().delete()
    published = Article.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)
    times = dict(published.values_list("pk", "published_at").iterator(chunk_size=BATCH))
    batch, total = [], 0
    for article_id, tag_id in _article_items().values_list("object_id", "tag_id").iterator(chunk_size=BATCH):
        if article_id in times:
            batch.append(TagPublication(tag_id=tag_id, article_id=article_id, published_at=times[article_id]))
        if len(batch) >= BATCH:
            total += len(TagPublication.objects.bulk_create(batch))
            batch = []
    total += len(TagPublication.objects.bulk_create(batch))
    return total


def wanted_rows() -> set[tuple[int, int, object]]:
    """What the rows should be, as (tag id, article id, publish time)."""
    published = dict(
        Article.objects.filter(status=Status.PUBLISHED, published_at__isnull=False).values_list("pk", "published_at")
    )
    return {
        (tag_id, article_id, published[article_id])
        for article_id, tag_id in _article_items().values_list("object_id", "tag_id")
        if article_id in published
    }


def stored_rows() -> set[tuple[int, int, object]]:
    return set(TagPublication.objects.values_list("tag_id", "article_id", "published_at"))


@receiver(post_save, sender=Article, dispatch_uid="tag-publications-article-saved")
def _article_saved(sender, instance, **kwargs):
    if not counts_deferred_now():
        sync([instance.pk])


def _is_article_item(item: TaggedItem) -> bool:
    return item.content_type_id == ContentType.objects.get_for_model(Article).pk


@receiver(post_save, sender=TaggedItem, dispatch_uid="tag-publications-item-saved")
def _item_saved(sender, instance, **kwargs):
    if not counts_deferred_now() and _is_article_item(instance):
        sync([instance.object_id])  # a new tag, or a tag row moved to another tag by a merge


@receiver(post_delete, sender=TaggedItem, dispatch_uid="tag-publications-item-deleted")
def _item_deleted(sender, instance, **kwargs):
    # Only this row goes: re-deriving here could write rows for an article that is itself being deleted.
    if not counts_deferred_now() and _is_article_item(instance):
        TagPublication.objects.filter(tag_id=instance.tag_id, article_id=instance.object_id).delete()
