"""Build and refresh the search index (``SearchEntry`` rows) from articles, drugs and site pages.

Everything that decides what a row says lives here: the signal receivers
(``search.signals``) and the bulk ``reindex_all`` call the same functions, so
a bulk-imported site and an edited one index the same text.
"""

import html
import re
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from taggit.models import TaggedItem

from articles.models import Article
from drugs.models import Drug, DrugName
from pages.models import Page
from publishing.bulk import refresh_planner_statistics
from publishing.models import Status
from search.models import Kind, SearchEntry

# Tags that end a block become a space; inline tags ("<strong>x</strong>:") vanish.
BLOCK_TAG_PATTERN = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|br|hr|blockquote|pre|table|tr|td|th|section|article)\b[^>]*>", re.IGNORECASE
)
TAG_PATTERN = re.compile(r"<[^>]*>")
# Control characters never belong in readable text, and two of them mark
# highlights in snippets (search.backends), so they must not come from content.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BATCH_SIZE = 500
ENTRY_FIELDS = ["slug", "title", "summary", "keywords", "body", "category", "published_at"]


def clean_text(value: str) -> str:
    """Plain text as typed (a title, a summary), control characters removed and spaces collapsed."""
    # str.split() splits on exactly what the regex \s matches (str.isspace()), several times faster.
    return " ".join(CONTROL_CHARACTERS.sub(" ", value or "").split())


def plain_text(value: str) -> str:
    """Readable text from sanitised HTML: tags removed, entities decoded."""
    return clean_text(html.unescape(TAG_PATTERN.sub("", BLOCK_TAG_PATTERN.sub(" ", value or ""))))


def tag_names_for(article_ids: Iterable[int]) -> dict[int, list[str]]:
    """The tag names searchable for each article, in one query.

    The single place that decides which names a tag contributes: its own
    and every other name of its alias group ("Imuran" and "Azathioprine"),
    so a search for either finds articles tagged with the other (two queries).
    """
    from articles.models import TagAlias

    rows = list(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=list(article_ids)
        ).values_list("object_id", "tag_id", "tag__name")
    )
    tag_ids = {tag_id for _, tag_id, _ in rows}
    related = Q(tag_id__in=tag_ids) | Q(main_id__in=tag_ids) | Q(main__aliases__tag_id__in=tag_ids)
    main_of: dict[int, int] = {}
    group_names: dict[int, set[str]] = defaultdict(set)  # main tag id -> every name of its group
    for alias_id, alias_name, main_id, main_name in (
        TagAlias.objects.filter(related).values_list("tag_id", "tag__name", "main_id", "main__name").distinct()
    ):
        main_of[alias_id] = main_id
        group_names[main_id].update((alias_name, main_name))
    names: dict[int, set[str]] = defaultdict(set)
    for object_id, tag_id, name in rows:
        names[object_id].add(name)
        names[object_id].update(group_names.get(main_of.get(tag_id, tag_id), ()))
    return {object_id: sorted(found) for object_id, found in names.items()}


def article_entries(articles: Iterable[Article]) -> list[SearchEntry]:
    articles = list(articles)
    tags = tag_names_for(article.pk for article in articles)
    return [
        SearchEntry(
            kind=Kind.ARTICLE,
            object_id=article.pk,
            slug=article.slug,
            title=clean_text(article.title),
            summary=clean_text(article.summary),
            keywords=" ".join(clean_text(name) for name in tags.get(article.pk, [])),
            body=plain_text(article.body),
            category_id=article.category_id,
            published_at=article.published_at,
        )
        for article in articles
    ]


def drug_entries(drugs: Iterable[Drug]) -> list[SearchEntry]:
    """Entries for drugs fetched with ``names`` and ``classes`` prefetched."""
    entries = []
    for drug in drugs:
        names = [drug.generic_name] + [name.name for name in drug.names.all()]
        classes = [drug_class.name for drug_class in drug.classes.all()]
        sections = [drug.mechanism, drug.absorption, drug.metabolism, drug.excretion, drug.boxed_warning]
        entries.append(
            SearchEntry(
                kind=Kind.DRUG,
                object_id=drug.pk,
                slug=drug.slug,
                title=clean_text(drug.display_name),
                summary=clean_text(drug.summary),
                keywords=clean_text(" ".join(names + classes)),
                body=clean_text("\n".join(section for section in sections if section)),
                category_id=None,
                published_at=drug.published_at,
            )
        )
    return entries


def page_entries(pages: Iterable[Page]) -> list[SearchEntry]:
    return [
        SearchEntry(
            kind=Kind.PAGE,
            object_id=page.pk,
            slug=page.slug,
            title=clean_text(page.title),
            summary=clean_text(page.summary),
            keywords="",
            body=plain_text(page.body),
            category_id=None,
            published_at=page.published_at,
        )
        for page in pages
    ]


def indexable_articles():
    return Article.objects.published_or_scheduled().only(
        "title", "slug", "summary", "body", "category_id", "published_at"
    )


def indexable_drugs():
    return Drug.objects.published_or_scheduled().prefetch_related(
        "classes", Prefetch("names", queryset=DrugName.objects.order_by("kind", "name"))
    )


def indexable_pages():
    return Page.objects.published_or_scheduled().only("title", "slug", "summary", "body", "published_at")


def _store(kind: str, object_ids: set[int], entries: list[SearchEntry]) -> None:
    """Write ``entries`` and drop the rows of ``object_ids`` that no longer qualify."""
    kept = {entry.object_id for entry in entries}
    SearchEntry.objects.filter(kind=kind, object_id__in=object_ids - kept).delete()
    if entries:
        SearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=ENTRY_FIELDS
        )


def reindex_articles(article_ids: Iterable[int]) -> None:
    """Bring the rows of these articles up to date (add, rewrite or remove)."""
    ids = set(article_ids)
    with transaction.atomic():
        _store(Kind.ARTICLE, ids, article_entries(indexable_articles().filter(pk__in=ids)))


def index_bulk_written(model, objects) -> None:
    """A bulk write's batch (``publishing.bulk``): index it in the batch's own transaction.

    Articles are indexed from the instances in hand, without reading them
    back (only their tag names are read); other models are read again.
    """
    if model is Article:
        published = [article for article in objects if article.status == Status.PUBLISHED]
        _store(Kind.ARTICLE, {article.pk for article in objects}, article_entries(published))
    elif model is Drug:
        reindex_drugs([drug.pk for drug in objects])
    elif model is Page:
        reindex_pages([page.pk for page in objects])


def refresh_statistics() -> None:
    refresh_planner_statistics([SearchEntry])


def reindex_drugs(drug_ids: Iterable[int]) -> None:
    """Bring the rows of these drugs up to date (add, rewrite or remove)."""
    ids = set(drug_ids)
    with transaction.atomic():
        _store(Kind.DRUG, ids, drug_entries(indexable_drugs().filter(pk__in=ids)))


def reindex_pages(page_ids: Iterable[int]) -> None:
    """Bring the rows of these site pages up to date (add, rewrite or remove)."""
    ids = set(page_ids)
    with transaction.atomic():
        _store(Kind.PAGE, ids, page_entries(indexable_pages().filter(pk__in=ids)))


# How each kind's rows are rewritten, for the receivers in ``search.signals``.
REINDEX = {Kind.ARTICLE: reindex_articles, Kind.DRUG: reindex_drugs, Kind.PAGE: reindex_pages}


def reindex_all(*, batch_size: int = BATCH_SIZE) -> int:
    """Rebuild the whole index in batches, without signals (after a bulk import). Returns the row count."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        count = 0
        article_ids = list(indexable_articles().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(article_ids), batch_size):
            batch = indexable_articles().filter(pk__in=article_ids[start : start + batch_size])
            count += len(SearchEntry.objects.bulk_create(article_entries(batch)))
        count += len(SearchEntry.objects.bulk_create(drug_entries(indexable_drugs())))
        count += len(SearchEntry.objects.bulk_create(page_entries(indexable_pages())))
    return count
