"""Stored numbers of published articles per tag and per category.

Counting a tag's 47,000 articles (or every article, for the home page) on
each page view grows with the site. Instead each tag and category keeps the
number of its articles whose status is *published*, scheduled ones included,
in ``TagArticleCount`` and ``CategoryArticleCount``. The receivers below
adjust them by one inside the same transaction as the write that changes
them, so a page read right after the write (or in a test) sees the new number.

A reader must not count an article whose publish time is still to come, so
pages subtract the scheduled articles at read time: there are few of them,
and they sit at one end of the ``(status, published_at)`` index.

Bulk writes (the import, through ``articles.bulk``) skip the receivers,
recount the tags and categories of each batch inside its transaction, and
call ``rebuild_published_counts()`` once at the end; so does
``manage.py rebuild_published_counts``.
"""

from collections import Counter
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    Category,
    CategoryArticleCount,
    TagArticleCount,
    TagGroupArticleCount,
    TagGroupPublication,
    TagPublication,
)
from publishing import sql
from publishing.models import Status
from publishing.switches import ThreadSwitch

_deferred = ThreadSwitch()
# Skip the per-row adjustments inside the block (bulk writes); rebuild afterwards.
counts_deferred = _deferred.turned_on


def counts_deferred_now() -> bool:
    return _deferred.is_on


def article_type() -> ContentType:
    return ContentType.objects.get_for_model(Article)


def _counted(status: str) -> bool:
    return status == Status.PUBLISHED


# --- Adjusting -----------------------------------------------------------------


def adjust(model, ids: Iterable[int | None], delta: int) -> None:
    """Move the stored numbers of these rows of ``model`` (keyed by their object's id) by ``delta``."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids or not delta:
        return
    if delta > 0:
        # A row is only ever created here, never on the way down: a decrement
        # runs while a tag or category may be being deleted, and a row created
        # then would point at a deleted row.
        model.objects.bulk_create([model(pk=pk, articles=0) for pk in ids], ignore_conflicts=True)
    model.objects.filter(pk__in=ids).update(articles=Greatest(F("articles") + delta, Value(0)))


def _article_tag_ids(article_id: int) -> list[int]:
    return list(article_items().filter(object_id=article_id).values_list("tag_id", flat=True))


def _article_is_counted(article_id: int) -> bool:
    return Article.objects.filter(pk=article_id, status=Status.PUBLISHED).exists()


def article_items():
    """taggit's rows that tag an article (tags can be put on other models too)."""
    return TaggedItem.objects.filter(content_type=article_type())


def is_article_item(item: TaggedItem) -> bool:
    return item.content_type_id == article_type().pk


@receiver(pre_save, sender=Article, dispatch_uid="counts-article-before")
def _remember_article_state(sender, instance, **kwargs):
    if _deferred.is_on:
        return
    before = None
    if instance.pk is not None:
        before = Article.objects.filter(pk=instance.pk).values_list("status", "category_id").first()
    instance._counted_state_before = before


@receiver(post_save, sender=Article, dispatch_uid="counts-article-saved")
def _article_saved(sender, instance, **kwargs):
    if _deferred.is_on:
        return
    before = getattr(instance, "_counted_state_before", None)
    was_counted, old_category = (_counted(before[0]), before[1]) if before else (False, None)
    now_counted = _counted(instance.status)
    if (was_counted, old_category) != (now_counted, instance.category_id):
        if was_counted:
            adjust(CategoryArticleCount, [old_category], -1)
        if now_counted:
            adjust(CategoryArticleCount, [instance.category_id], +1)
    if was_counted != now_counted:
        adjust(TagArticleCount, _article_tag_ids(instance.pk), +1 if now_counted else -1)


@receiver(pre_delete, sender=Article, dispatch_uid="counts-article-deleted")
def _article_deleted(sender, instance, **kwargs):
    # pre_delete: every row of the delete still exists, so the stored status is readable.
    # The article's tag rows are deleted with it and adjust the tag counts themselves.
    if _deferred.is_on:
        return
    published = Article.objects.filter(pk=instance.pk, status=Status.PUBLISHED)
    adjust(CategoryArticleCount, published.values_list("category_id", flat=True), -1)


@receiver(pre_save, sender=TaggedItem, dispatch_uid="counts-item-before")
def _remember_item_tag(sender, instance, **kwargs):
    instance._stored_tagging = None  # never a state read before an earlier save of this instance
    if _deferred.is_on or instance.pk is None:
        return
    instance._stored_tagging = (
        TaggedItem.objects.filter(pk=instance.pk).values_list("tag_id", "content_type_id", "object_id").first()
    )


def item_unchanged(item: TaggedItem) -> bool:
    """Whether this save of a tag row wrote what was already stored (same tag on the same object): reverting
    to a revision saves every tag row the revision holds, and such a save changes no count, tag page or cache.
    False when the row is new or its stored state was not read (inside ``counts_deferred()``)."""
    stored = getattr(item, "_stored_tagging", None)
    return stored is not None and stored == (item.tag_id, item.content_type_id, item.object_id)


@receiver(post_save, sender=TaggedItem, dispatch_uid="counts-item-saved")
def _item_saved(sender, instance, **kwargs):
    if _deferred.is_on or not is_article_item(instance):
        return
    stored = getattr(instance, "_stored_tagging", None)
    tag_before = stored[0] if stored else None
    if tag_before == instance.tag_id or not _article_is_counted(instance.object_id):
        return
    adjust(TagArticleCount, [tag_before], -1)  # a tag merge moves the row to another tag
    adjust(TagArticleCount, [instance.tag_id], +1)


@receiver(pre_delete, sender=TaggedItem, dispatch_uid="counts-item-deleted")
def _item_deleted(sender, instance, **kwargs):
    if _deferred.is_on or not is_article_item(instance):
        return
    if _article_is_counted(instance.object_id):
        adjust(TagArticleCount, [instance.tag_id], -1)


# --- Rebuilding ------------------------------------------------------------------


def _as_object_ids(articles):
    """Article ids as taggit's integer ``object_id``: casting this side keeps the tag rows' index usable."""
    return articles.order_by().values(object_id=Cast("pk", IntegerField())).values("object_id")


def counted_totals() -> tuple[dict[int, int], dict[int, int]]:
    """What the stored numbers should be: (per tag id, per category id), zeros included."""
    published = Article.objects.published_or_scheduled()
    per_tag = Counter(
        dict(
            article_items()
            .filter(object_id__in=_as_object_ids(published))
            .order_by()
            .values_list("tag_id")
            .annotate(n=Count("pk"))
        )
    )
    per_category = Counter(dict(published.order_by().values_list("category_id").annotate(n=Count("pk"))))
    tags = {pk: per_tag[pk] for pk in Tag.objects.values_list("pk", flat=True)}
    categories = {pk: per_category[pk] for pk in Category.objects.values_list("pk", flat=True)}
    return tags, categories


def stored_totals() -> tuple[dict[int, int], dict[int, int]]:
    return (
        dict(TagArticleCount.objects.values_list("pk", "articles")),
        dict(CategoryArticleCount.objects.values_list("pk", "articles")),
    )


@transaction.atomic
def rebuild_published_counts() -> tuple[int, int]:
    """Recount every tag and category in one pass (after a bulk import), and rebuild the
    tag pages' ``TagPublication`` rows. Returns (tags, categories)."""
    from articles import tag_publications  # it imports this module

    tag_publications.rebuild()
    tags, categories = counted_totals()
    _store_totals(tags, categories)
    return len(tags), len(categories)


def recount_for_articles(article_ids: list[int]) -> None:
    """Recount the tags these articles carry and the categories they are filed in (a bulk write's batch).

    Tags are counted from their tag-page rows (``TagPublication``, brought up
    to date for the batch first), one index range per tag, rather than
    against every published article: an import's batches would otherwise
    each read the whole table again.
    """
    tag_ids = set(article_items().filter(object_id__in=article_ids).values_list("tag_id", flat=True))
    category_ids = set(Article.objects.filter(pk__in=article_ids).values_list("category_id", flat=True))
    per_tag = Counter(
        dict(TagPublication.objects.filter(tag_id__in=tag_ids).order_by().values_list("tag_id").annotate(n=Count("*")))
    )
    published = Article.objects.published_or_scheduled().filter(category_id__in=category_ids)
    per_category = Counter(dict(published.order_by().values_list("category_id").annotate(n=Count("*"))))
    _store_totals({pk: per_tag[pk] for pk in tag_ids}, {pk: per_category[pk] for pk in category_ids})


def _store_totals(tags: dict[int, int], categories: dict[int, int]) -> None:
    for model, totals in ((TagArticleCount, tags), (CategoryArticleCount, categories)):
        model.objects.bulk_create(
            [model(pk=pk, articles=number) for pk, number in totals.items()],
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=["articles"],
        )


# --- Reading -------------------------------------------------------------------------


def scheduled_articles():
    """Published articles whose publish time is still to come: stored in the counts, hidden from readers."""
    return Article.objects.published_or_scheduled().filter(published_at__gt=timezone.now())


def _count_of(queryset) -> Subquery:
    """``queryset``'s row count as a scalar subquery (0 when empty)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _scheduled_items():
    """Tags of articles scheduled for later, one row each (from the tag pages' ``TagPublication`` rows)."""
    return TagPublication.objects.filter(published_at__gt=timezone.now())


def tags_with_public_counts() -> list[dict]:
    """Tags carried by at least one article a reader can see, by name, as
    ``{"tag__name", "tag__slug", "article_count"}`` (one query)."""
    scheduled_here = _count_of(_scheduled_items().filter(tag_id=OuterRef("pk")))
    rows = (
        TagArticleCount.objects.filter(articles__gt=0)
        .annotate(article_count=F("articles") - scheduled_here)
        .order_by("tag__name")
        .values("tag__name", "tag__slug", "article_count")
    )
    # Filtered here rather than in SQL, where the subquery would be planned
    # twice and its cost estimate would switch on PostgreSQL's JIT compiler
    # (125 ms of compiling for a 1 ms query at 100,000 articles).
    return [row for row in rows if row["article_count"] > 0]


def tag_public_count(tag_id: int) -> int:
    """Articles a reader can see carrying this tag (one query; plain SQL, as a listing page asks: see
    ``publishing.sql``)."""
    count, params = tag_public_count_sql("%s")
    return max(sql.one_number(f"SELECT {count}", [*params, tag_id]), 0)


def tag_group_public_count(main_tag_id: int) -> int:
    """Articles a reader can see carrying a tag group's main tag or any of its aliases, each counted once."""
    count, params = tag_group_public_count_sql("%s")
    return max(sql.one_number(f"SELECT {count}", [*params, main_tag_id]), 0)


def tag_public_count_sql(tag_id: str) -> tuple[str, list]:
    """``tag_public_count`` as a scalar subquery for the tag whose id the SQL expression ``tag_id`` gives (NULL
    for a tag no published article carries; it may come out below zero), and its parameters, which come before
    any of ``tag_id``'s."""
    return _public_count_sql(TagArticleCount, TagPublication, "tag_id", tag_id)


def tag_group_public_count_sql(main_id: str) -> tuple[str, list]:
    """``tag_group_public_count`` as ``tag_public_count_sql`` gives a tag's (NULL for a tag with no group)."""
    return _public_count_sql(TagGroupArticleCount, TagGroupPublication, "main_id", main_id)


def _public_count_sql(stored, rows, key: str, key_id: str) -> tuple[str, list]:
    """The ``stored`` number (scheduled articles included) less the ``rows`` of articles still scheduled."""
    return (
        f"(SELECT c.articles - (SELECT COUNT(*) FROM {sql.table(rows)} s"  # noqa: S608  # nosec B608  # table and column names and constants; every value is bound
        f" WHERE s.{key} = c.{key} AND s.published_at > %s) FROM {sql.table(stored)} c"
        f" WHERE c.{key} = {key_id})",
        [sql.db_time(timezone.now())],
    )


def categories_public_count(category_ids: Iterable[int] | None = None) -> int:
    """Articles a reader can see in these categories, or in all of them (one query; plain SQL, as a listing
    page asks: see ``publishing.sql``)."""
    scheduled_in = stored_in = ""
    ids = [] if category_ids is None else list(category_ids)
    if category_ids is not None:
        if not ids:
            return 0
        scheduled_in, stored_in = (
            f" AND s.category_id IN ({sql.marks(ids)})",
            f" WHERE c.category_id IN ({sql.marks(ids)})",
        )
    number = sql.one_number(
        f"SELECT COALESCE(SUM(c.articles), 0) - (SELECT COUNT(*) FROM {sql.table(Article)} s"  # noqa: S608  # nosec B608  # table names and constants; every value is bound
        f" WHERE s.status = {sql.PUBLISHED} AND s.published_at > %s{scheduled_in})"
        f" FROM {sql.table(CategoryArticleCount)} c{stored_in}",
        [sql.db_time(timezone.now()), *ids, *ids],
    )
    return max(number, 0)
