"""The ``TagPublication`` rows: each tag of each published article, with its publish time.

A write that can change them (an article saved, a tag row added, moved or
removed) re-derives the rows of the articles it touched, inside the same
transaction, so a tag page read right after the write is already right; the
tag groups' rows follow (``articles.tag_groups``). Deleting an article or a
tag removes its rows by cascade. Bulk writes (the import) run inside
``counts_deferred()`` and ``rebuild()`` afterwards, as ``articles.counts``
does; ``manage.py rebuild_published_counts`` rebuilds both.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from articles import tag_groups
from articles.counts import article_items, article_type, counts_deferred_now, is_article_item, item_unchanged
from articles.models import Article, TagPublication
from publishing import sql
from publishing.models import Status

BATCH = 5000


def _derived_rows(article_ids: list[int] | None = None) -> Iterator[tuple[int, int, datetime]]:
    """(tag id, article id, publish time) for each tag of each published article (of ``article_ids``)."""
    published = Article.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)
    items = article_items()
    if article_ids is not None:
        published, items = published.filter(pk__in=article_ids), items.filter(object_id__in=article_ids)
    times = dict(published.values_list("pk", "published_at").iterator(chunk_size=BATCH))
    for article_id, tag_id in items.values_list("object_id", "tag_id").iterator(chunk_size=BATCH):
        if article_id in times:
            yield tag_id, article_id, times[article_id]


def _write(rows: Iterable[tuple[int, int, datetime]]) -> int:
    written, batch = 0, []
    for tag_id, article_id, published_at in rows:
        batch.append(TagPublication(tag_id=tag_id, article_id=article_id, published_at=published_at))
        if len(batch) >= BATCH:
            written += len(TagPublication.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    return written + len(TagPublication.objects.bulk_create(batch, ignore_conflicts=True))


def sync(article_ids: Iterable[int | None]) -> None:
    """Make these articles' rows match their status, publish time and tags (two statements: an editor's save
    calls this for the article and for each tag row it adds)."""
    ids = sorted({pk for pk in article_ids if pk is not None})
    if ids:
        TagPublication.objects.filter(article_id__in=ids).delete()  # one DELETE: nothing listens to these rows
        _insert_derived(ids)
        tag_groups.sync_articles(ids)


def _insert_derived(article_ids: list[int]) -> None:
    """The rows ``_derived_rows(article_ids)`` gives, written by one INSERT ... SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {sql.table(TagPublication)} (tag_id, article_id, published_at)"  # noqa: S608  # nosec B608  # table names and constants; every value is bound
            f" SELECT i.tag_id, a.id, a.published_at FROM {sql.table(TaggedItem)} i"
            f" JOIN {sql.table(Article)} a ON a.id = i.object_id"
            f" WHERE i.content_type_id = %s AND i.object_id IN ({sql.marks(article_ids)})"
            " AND a.status = %s AND a.published_at IS NOT NULL",
            [article_type().pk, *article_ids, Status.PUBLISHED.value],
        )


@transaction.atomic
def rebuild() -> int:
    """Derive every row again (after bulk writes). Returns how many per-tag rows there are."""
    TagPublication.objects.all().delete()
    written = _write(_derived_rows())
    tag_groups.rebuild_all()
    return written


def wanted_rows() -> set[tuple]:
    """What the rows should be: ("tag", tag id, article id, publish time), and the groups' (``tag_groups``)."""
    per_tag = set(_derived_rows())
    return {("tag", *row) for row in per_tag} | tag_groups.wanted_rows(per_tag)


def stored_rows() -> set[tuple]:
    tag_rows = TagPublication.objects.values_list("tag_id", "article_id", "published_at")
    return {("tag", *row) for row in tag_rows} | tag_groups.stored_rows()


@receiver(post_save, sender=Article, dispatch_uid="tag-publications-article-saved")
def _article_saved(sender, instance, **kwargs):
    if not counts_deferred_now():
        sync([instance.pk])


@receiver(post_save, sender=TaggedItem, dispatch_uid="tag-publications-item-saved")
def _item_saved(sender, instance, **kwargs):
    if not counts_deferred_now() and is_article_item(instance) and not item_unchanged(instance):
        sync([instance.object_id])  # a new tag, or a tag row moved to another tag by a merge


@receiver(post_delete, sender=TaggedItem, dispatch_uid="tag-publications-item-deleted")
def _item_deleted(sender, instance, **kwargs):
    # Only this row goes: re-deriving here could write rows for an article that is itself being deleted.
    if not counts_deferred_now() and is_article_item(instance):
        TagPublication.objects.filter(tag_id=instance.tag_id, article_id=instance.object_id).delete()
        tag_groups.forget(instance.tag_id, instance.object_id)
