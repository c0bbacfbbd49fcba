"""The rows and counts a tag group's page is listed from: ``TagGroupPublication``, each published article of a
group (a main tag and its aliases: "Azathioprine" and "Imuran") once, and ``TagGroupArticleCount``.

They are derived from the per-tag rows (``articles.tag_publications``), which call in here whenever theirs
change, and a group's count moves by one with each article joining or leaving it, so a group's page reads a
stored number as a tag's page does. An alias added, moved or removed re-derives and recounts its groups. As in
``articles.counts``, a count row is created only on the way up, never while a tag may be being deleted.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles.counts import adjust, counts_deferred_now
from articles.models import Article, TagAlias, TagGroupArticleCount, TagGroupPublication, TagPublication
from publishing import sql

# A per-tag row's group: its alias's main tag, else the tag itself when it has aliases (``x`` and ``t``, below).
_GROUP_OF_ROW = "COALESCE(x.main_id, t.tag_id)"


def main_tag_id(tag_id: int) -> int:
    """The id of the main tag of ``tag_id``'s group: its own unless it is an alias."""
    return TagAlias.objects.filter(tag_id=tag_id).values_list("main_id", flat=True).first() or tag_id


def sync_articles(article_ids: list[int]) -> None:
    """Make these articles' group rows match their per-tag rows (already brought up to date), and move the
    counts of the groups they joined or left by one: a save costs the same in a group of any size."""
    rows = TagGroupPublication.objects.filter(article_id__in=article_ids)
    before = Counter(rows.values_list("main_id", flat=True))
    if before:
        rows.delete()
    _insert_rows(f"t.article_id IN ({sql.marks(article_ids)})", article_ids)
    after = Counter(rows.values_list("main_id", flat=True))
    by_change = defaultdict(list)
    for main_id in before.keys() | after.keys():
        by_change[after[main_id] - before[main_id]].append(main_id)
    for change, main_ids in by_change.items():
        adjust(TagGroupArticleCount, main_ids, change)


def rebuild_groups(main_ids: Iterable[int | None]) -> None:
    """Derive the rows of these groups again, by their main tags' ids (after their aliases changed)."""
    ids = sorted({pk for pk in main_ids if pk is not None})
    if ids:
        TagGroupPublication.objects.filter(main_id__in=ids).delete()
        _insert_rows(*_in_groups(ids))
        _recount(ids)


def rebuild_all() -> None:
    TagGroupPublication.objects.all().delete()
    _insert_rows()
    TagGroupArticleCount.objects.all().delete()
    _recount(TagGroupPublication.objects.values_list("main_id", flat=True).distinct())


def forget(tag_id: int, article_id: int) -> None:
    """The article's row in the group of ``tag_id`` (a tag row of it was deleted), once it carries no other name
    of that group. Deletes only: it runs while the article or the tag may be being deleted."""
    main_id = main_tag_id(tag_id)
    tag_table, alias_table, group_table = sql.table(TagPublication), sql.table(TagAlias), sql.table(TagGroupPublication)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {group_table} WHERE main_id = %s AND article_id = %s"  # noqa: S608  # nosec B608  # table names and constants; every value is bound
            f" AND NOT EXISTS (SELECT 1 FROM {tag_table} t LEFT OUTER JOIN {alias_table} x ON x.tag_id = t.tag_id"
            f" WHERE t.article_id = %s AND {_GROUP_OF_ROW} = %s)",
            [main_id, article_id, article_id, main_id],
        )
        if cursor.rowcount:
            adjust(TagGroupArticleCount, [main_id], -1)


def _insert_rows(where: str = "", params: Iterable[int] = ()) -> None:
    """Group rows derived from the per-tag rows (``t``), each article once per group: all of them, or those
    the SQL condition ``where`` (with ``params``) picks."""
    alias_table = sql.table(TagAlias)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {sql.table(TagGroupPublication)} (main_id, article_id, published_at)"  # noqa: S608  # nosec B608  # table names and constants; every value is bound
            f" SELECT DISTINCT {_GROUP_OF_ROW}, t.article_id, t.published_at FROM {sql.table(TagPublication)} t"
            f" LEFT OUTER JOIN {alias_table} x ON x.tag_id = t.tag_id"
            f" WHERE (x.main_id IS NOT NULL OR EXISTS (SELECT 1 FROM {alias_table} y WHERE y.main_id = t.tag_id))"
            f"{f' AND ({where})' if where else ''}",
            list(params),
        )


def _in_groups(main_ids: list[int]) -> tuple[str, list[int]]:
    """The condition picking the per-tag rows of these groups, and its parameters. It names the groups' tags
    too, so the per-tag rows' index finds them rather than every row being read."""
    marks, alias_table = sql.marks(main_ids), sql.table(TagAlias)
    return (
        f"{_GROUP_OF_ROW} IN ({marks}) AND (t.tag_id IN ({marks})"  # noqa: S608  # nosec B608  # table names and constants; every value is bound
        f" OR t.tag_id IN (SELECT z.tag_id FROM {alias_table} z WHERE z.main_id IN ({marks})))",
        [*main_ids, *main_ids, *main_ids],
    )


def _recount(main_ids: Iterable[int]) -> None:
    ids = sorted(set(main_ids))
    if not ids:
        return
    rows = TagGroupPublication.objects.filter(main_id__in=ids).order_by()
    found = dict(rows.values_list("main_id").annotate(n=Count("*")))
    TagGroupArticleCount.objects.filter(pk__in=[pk for pk in ids if pk not in found]).update(articles=0)
    TagGroupArticleCount.objects.bulk_create(
        [TagGroupArticleCount(main_id=pk, articles=n) for pk, n in found.items()],
        update_conflicts=True,
        unique_fields=["main"],
        update_fields=["articles"],
    )


def wanted_rows(per_tag: set[tuple[int, int, datetime]]) -> set[tuple]:
    """What the rows and counts should be, given the per-tag rows (tag id, article id, publish time):
    ("group", main tag id, article id, publish time) and ("group count", main tag id, articles). Worked out here
    in Python, apart from the SQL that keeps them."""
    main_of = dict(TagAlias.objects.values_list("tag_id", "main_id"))
    grouped = set(main_of) | set(main_of.values())
    rows = {(main_of.get(tag, tag), article, when) for tag, article, when in per_tag if tag in grouped}
    counted = Counter(main for main, _, _ in rows)
    return {("group", *row) for row in rows} | {("group count", *item) for item in counted.items()}


def stored_rows() -> set[tuple]:
    rows = TagGroupPublication.objects.values_list("main_id", "article_id", "published_at")
    numbers = TagGroupArticleCount.objects.filter(articles__gt=0).values_list("main_id", "articles")
    return {("group", *row) for row in rows} | {("group count", *item) for item in numbers}


@receiver(pre_delete, sender=Article, dispatch_uid="tag-groups-article-deleted")
def _article_deleted(sender, instance, **kwargs):
    # Its rows go first, so the groups are recounted without them whatever order the cascade deletes in.
    if not counts_deferred_now():
        rows = TagGroupPublication.objects.filter(article_id=instance.pk)
        main_ids = list(rows.values_list("main_id", flat=True))
        if main_ids:
            rows.delete()
            adjust(TagGroupArticleCount, main_ids, -1)


@receiver(pre_save, sender=TagAlias, dispatch_uid="tag-groups-alias-before")
def _remember_alias_main(sender, instance, **kwargs):
    stored = None if instance.pk is None else TagAlias.objects.filter(pk=instance.pk).values_list("main_id").first()
    instance._stored_main_id = stored[0] if stored else None


@receiver(post_save, sender=TagAlias, dispatch_uid="tag-groups-alias-saved")
def _alias_saved(sender, instance, **kwargs):
    if not counts_deferred_now():
        rebuild_groups([instance.main_id, getattr(instance, "_stored_main_id", None)])


@receiver(post_delete, sender=TagAlias, dispatch_uid="tag-groups-alias-deleted")
def _alias_deleted(sender, instance, **kwargs):
    if not counts_deferred_now():
        rebuild_groups([instance.main_id])
