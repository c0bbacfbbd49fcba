"""Bulk import and export of articles in the JSON Lines interchange format.

The format is the one ``shared/bench/make_corpus.py`` writes, one JSON
object a line: title, slug, category, tags, summary, body (HTML), author
(display name), published_at (ISO 8601 with a time zone), drugs (generic
names). ``status`` is optional (published when absent), so an export of
drafts imports back as drafts.

The import streams: it holds one batch of lines at a time, never the file.
Each batch is written in one transaction with ``bulk_create`` and
``bulk_update`` (articles, then their tag and drug rows), so an interrupted
import leaves whole articles or none. Articles are matched by slug: running
the same file twice updates and never duplicates. Bodies go through
``sanitize_html`` exactly as editor input does. Categories, tags and authors
named in the file are created when missing; drugs are created as drafts (a
drug page needs an editor's monograph before readers see it).

The import runs inside ``publishing.bulk.bulk_writes()``: per-article signal
work is put off, and each app that keeps data derived from articles (the
search index, stored counts, tag-page rows) brings it up to date for each
batch inside the batch's own transaction, so an import killed part-way
leaves every committed article findable and listed. At the end the counts
are recounted once and every cached page is made stale once; the caller
rebuilds See also (``articles.related.rebuild_all``).
"""

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    Category,
    CategoryArticleCount,
    TagArticleCount,
    TagGroupPublication,
    TagPublication,
)
from drugs.models import Drug, DrugName
from publishing.bulk import bulk_writes, refresh_planner_statistics
from publishing.html import sanitize_html
from publishing.models import Status

BATCH_SIZE = 500
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
REQUIRED_TEXT = {"title": 200, "slug": 200, "category": 100, "summary": 500, "author": 150}
ARTICLE_FIELDS = ["title", "summary", "body", "category", "author", "status", "published_at", "updated_at"]
# The tables an article import writes, whose planner statistics it leaves stale.
ARTICLE_TABLES = (
    Article,
    Article.drugs.through,
    TaggedItem,
    Tag,
    Category,
    TagArticleCount,
    CategoryArticleCount,
    TagPublication,
    TagGroupPublication,
)


class BadLine(Exception):
    """A line that cannot be imported; ``reason`` says why in words an editor understands."""

    def __init__(self, line_number: int, reason: str):
        super().__init__(f"line {line_number}: {reason}")
        self.line_number = line_number
        self.reason = reason


@dataclass(frozen=True)
class ArticleRecord:
    line_number: int
    title: str
    slug: str
    category: str
    tags: tuple[str, ...]
    summary: str
    body: str
    author: str
    published_at: datetime | None
    drugs: tuple[str, ...]
    status: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated


# --- Reading lines -----------------------------------------------------------


def parse_line(*, line_number: int, text: str) -> ArticleRecord:
    """One line of the file as a checked record, or ``BadLine`` saying what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadLine(line_number, f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise BadLine(line_number, "not a JSON object")
    values = {name: _text(data, name, limit, line_number) for name, limit in REQUIRED_TEXT.items()}
    if not SLUG_PATTERN.match(values["slug"]):
        raise BadLine(line_number, f"slug {values['slug']!r} may contain only letters, digits, hyphens and underscores")
    status = data.get("status", Status.PUBLISHED)
    if status not in Status.values:
        raise BadLine(line_number, f"status {status!r} is not one of {', '.join(Status.values)}")
    published_at = _publish_time(data.get("published_at"), line_number)
    if status == Status.PUBLISHED and published_at is None:
        raise BadLine(line_number, "a published article needs published_at")
    body = data.get("body", "")
    if not isinstance(body, str):
        raise BadLine(line_number, "body must be a string of HTML")
    return ArticleRecord(
        line_number=line_number,
        status=status,
        published_at=published_at,
        body=sanitize_html(body),
        tags=_names(data, "tags", line_number, limit=100),
        drugs=tuple(name.lower() for name in _names(data, "drugs", line_number, limit=120)),
        **values,
    )


def _text(data: dict, name: str, limit: int, line_number: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadLine(line_number, f"{name} is missing or empty")
    value = value.strip()
    if len(value) > limit:
        raise BadLine(line_number, f"{name} is longer than {limit} characters")
    return value


def _names(data: dict, name: str, line_number: int, *, limit: int) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadLine(line_number, f"{name} must be a list of names")
    names = {item.strip().casefold(): item.strip() for item in value if item.strip()}
    if any(len(item) > limit for item in names.values()):
        raise BadLine(line_number, f"a name in {name} is longer than {limit} characters")
    return tuple(names.values())


def _publish_time(value, line_number: int) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadLine(line_number, f"published_at {value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise BadLine(line_number, "published_at has no time zone (add +00:00 or Z)")
    return moment


def read_records(
    lines: Iterable[str], *, strict: bool, on_bad_line: Callable[[BadLine], None]
) -> Iterator[ArticleRecord]:
    """Records from the lines, in order; bad lines go to ``on_bad_line`` (with ``strict``, the first raises)."""
    for line_number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            yield parse_line(line_number=line_number, text=text)
        except BadLine as bad:
            if strict:
                raise
            on_bad_line(bad)


# --- Writing batches ---------------------------------------------------------


class Names:
    """Categories, authors, tags and drugs by name, created when missing and remembered for the run."""

    def __init__(self):
        self.categories = {name.casefold(): pk for pk, name in Category.objects.values_list("pk", "name")}
        self.tags = {name.casefold(): pk for pk, name in Tag.objects.values_list("pk", "name")}
        self.drugs = {name.casefold(): pk for pk, name in Drug.objects.values_list("pk", "generic_name")}
        self.drugs.update(
            (name.casefold(), pk)
            for name, pk in DrugName.objects.values_list("name", "drug_id")
            if name.casefold() not in self.drugs
        )
        self.authors: dict[str, int] = {}

    def category_id(self, name: str) -> int:
        if name.casefold() not in self.categories:
            slug = free_slug(Category, slugify(name) or "category")
            self.categories[name.casefold()] = Category.objects.create(name=name, slug=slug).pk
        return self.categories[name.casefold()]

    def author_id(self, display_name: str) -> int:
        """The user whose full name or username this is; a new user who cannot log in otherwise."""
        if display_name not in self.authors:
            users = get_user_model().objects
            first, _, last = display_name.partition(" ")
            user = users.filter(Q(username=display_name) | Q(first_name=first, last_name=last)).order_by("pk").first()
            if user is None:
                username = free_username(slugify(display_name) or "author")
                user = users.create(username=username, first_name=first[:150], last_name=last[:150])
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self.authors[display_name] = user.pk
        return self.authors[display_name]

    def tag_ids(self, names: Iterable[str]) -> list[int]:
        missing = {name.casefold(): name for name in names if name.casefold() not in self.tags}
        for name in missing.values():
            self.tags[name.casefold()] = Tag.objects.create(name=name, slug=free_slug(Tag, slugify(name) or "tag")).pk
        return [self.tags[name.casefold()] for name in names]

    def drug_ids(self, names: Iterable[str], *, author_id: int) -> list[int]:
        """Drugs by name; a missing one becomes a draft written by the article's author."""
        for name in names:
            if name.casefold() not in self.drugs:
                slug = free_slug(Drug, slugify(name) or "drug")
                drug = Drug.objects.create(generic_name=name, slug=slug, author_id=author_id)
                self.drugs[name.casefold()] = drug.pk
        return [self.drugs[name.casefold()] for name in names]


def free_username(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no user has yet (shared with the WordPress import)."""
    users = get_user_model().objects
    base = base[:140]
    username, number = base, 2
    while users.filter(username=username).exists():
        username, number = f"{base}-{number}", number + 1
    return username


def free_slug(model, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no ``model`` row has yet (shared with the WordPress import)."""
    base = base[:90]
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def write_batch(*, records: list[ArticleRecord], names: Names) -> tuple[list[Article], int]:
    """Create or update these articles with their tags and drugs. Returns (the articles, how many were new)."""
    records = list({record.slug: record for record in records}.values())  # a repeated slug: the last line wins
    existing = dict(Article.objects.filter(slug__in=[r.slug for r in records]).values_list("slug", "pk"))
    articles = [
        Article(
            slug=record.slug,
            title=record.title,
            summary=record.summary,
            body=record.body,
            category_id=names.category_id(record.category),
            author_id=names.author_id(record.author),
            status=record.status,
            published_at=record.published_at,
        )
        for record in records
    ]
    # One upsert by slug (bulk_update's CASE expressions are far slower).
    Article.objects.bulk_create(articles, update_conflicts=True, unique_fields=["slug"], update_fields=ARTICLE_FIELDS)
    by_slug = {article.slug: article.pk for article in articles}
    updated_ids = list(existing.values())
    _replace_tags(records, by_slug, names, updated_ids=updated_ids)
    _replace_drugs(records, by_slug, names, updated_ids=updated_ids)
    return articles, len(articles) - len(updated_ids)


def _replace_tags(records, by_slug: dict[str, int], names: Names, *, updated_ids: list[int]) -> None:
    article_type = ContentType.objects.get_for_model(Article)
    if updated_ids:
        TaggedItem.objects.filter(content_type=article_type, object_id__in=updated_ids).delete()
    rows = [
        (article_type.pk, by_slug[record.slug], tag_id) for record in records for tag_id in names.tag_ids(record.tags)
    ]
    insert_rows(TaggedItem, ["content_type", "object_id", "tag"], rows)


def _replace_drugs(records, by_slug: dict[str, int], names: Names, *, updated_ids: list[int]) -> None:
    through = Article.drugs.through
    if updated_ids:
        through.objects.filter(article_id__in=updated_ids).delete()
    rows = [
        (by_slug[record.slug], drug_id)
        for record in records
        for drug_id in names.drug_ids(record.drugs, author_id=names.author_id(record.author))
    ]
    insert_rows(through, ["article", "drug"], rows)


def insert_rows(model, field_names: list[str], rows: list[tuple]) -> None:
    """Plain link rows in multi-row INSERTs: a model instance per row would cost more than the insert."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = connection.ops.bulk_batch_size(fields, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([row_sql] * len(chunk))
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608 - names from model metadata  # nosec B608
            cursor.execute(sql, [value for row in chunk for value in row])


def import_articles(
    *,
    lines: Iterable[str],
    strict: bool = False,
    batch_size: int = BATCH_SIZE,
    search_index: bool = True,
    on_bad_line: Callable[[BadLine], None] | None = None,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import the articles in ``lines`` (an open file works), one transaction per batch.

    Bad lines are reported to ``on_bad_line`` and skipped; with ``strict``
    the first one raises ``BadLine`` after the lines before it are written.
    See also is not recomputed here (see ``articles.related.rebuild_all``);
    without ``search_index`` neither is the search index (``search.indexing.reindex_all``).
    ``on_batch`` is told after each batch has committed.
    """
    report = ImportReport()

    def bad(line: BadLine) -> None:
        report.bad_lines.append(line)
        if on_bad_line:
            on_bad_line(line)

    names = Names()
    batch: list[ArticleRecord] = []

    def flush() -> None:
        with transaction.atomic():
            articles, created = write_batch(records=batch, names=names)
            bulk.written(Article, articles)
        report.created += created
        report.updated += len(articles) - created
        batch.clear()
        if on_batch:
            on_batch(report)

    with bulk_writes(skip=() if search_index else ("search",)) as bulk:
        try:
            for record in read_records(lines, strict=strict, on_bad_line=bad):
                batch.append(record)
                if len(batch) >= batch_size:
                    flush()
        except BadLine as first_bad:
            report.bad_lines.append(first_bad)
            if batch:
                flush()
            raise
        if batch:
            flush()
    refresh_planner_statistics(ARTICLE_TABLES)
    return report


# --- Export --------------------------------------------------------------------


def export_lines(*, articles=None, batch_size: int = BATCH_SIZE) -> Iterator[str]:
    """Every article (or those of ``articles``) as JSON Lines, in the import format, streamed by batches."""
    queryset = (articles if articles is not None else Article.objects.all()).order_by("pk")
    last_pk = 0
    while True:
        chunk = list(
            queryset.filter(pk__gt=last_pk)
            .select_related("category", "author")
            .prefetch_related("tags", "drugs")[:batch_size]
        )
        if not chunk:
            return
        for article in chunk:
            yield json.dumps(article_record(article), ensure_ascii=False) + "\n"
        last_pk = chunk[-1].pk


def article_record(article: Article) -> dict:
    author = article.author
    return {
        "title": article.title,
        "slug": article.slug,
        "category": article.category.name,
        "tags": sorted(tag.name for tag in article.tags.all()),
        "summary": article.summary,
        "body": article.body,
        "author": author.get_full_name() or author.get_username(),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "drugs": sorted(drug.generic_name for drug in article.drugs.all()),
        "status": article.status,
    }
