"""The article a reader's page shows, with everything the page lists, read by plain SQL.

The page's queryset (``ArticleDetailView.base_queryset``: six joined tables and
four prefetched lists) cost about 7 ms of CPU a request to compose, compile and
turn into instances, against 0.7 ms for the same statements as text
(``publishing/sql.py`` says why such statements are written out). What comes
back is the same as the queryset gives: an ``Article`` whose category (with its
parent), author, reviewer (with their credentials) and featured image are
cached on it, and whose tags, references, questions, published drugs and change
notes are its prefetched lists, so templates, the page cache's dependency
tracking (``ops/dependencies.py``) and structured data read it unchanged.
``tests/test_article_page_loader.py`` compares it with the queryset.
"""

import datetime
import json
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.sql import Query
from taggit.models import Tag, TaggedItem

from articles import counts
from articles.models import Article, Category, FaqItem, Reference
from changelog.models import ChangeNote
from drugs.models import Drug
from images.models import Image
from publishing import sql
from workflow.models import ReviewerProfile

# What the first statement reads beside the article, in its select list's order: (where it is cached, model).
JOINED = (
    ("category", Category),
    ("category.parent", Category),
    ("author", None),  # None: the user model
    ("reviewed_by", None),
    ("reviewed_by.reviewer_profile", ReviewerProfile),
    ("featured_image", Image),
)
# Columns the page never reads, left out (deferred on the instances): categories' record-keeping times, and
# people's password hashes and sign-in dates.
USER_SKIP = ("password", "last_login", "date_joined")
# The lists the page shows, read in the same statement as JSON columns (one statement where there were six:
# 0.3 ms against 1.0 ms for the five lists' own statements, timed here): (prefetch name, model, the rows'
# FROM and WHERE on alias ``r`` for article ``t0``, table names to fill in, their order). Tags come in the order
# the editor added them (taggit's own statement has no ORDER BY: SQLite gave them oldest tag first, PostgreSQL
# as its plan fell).
LISTS = (
    (
        "tags",
        Tag,
        "FROM {table} r INNER JOIN {tagged} i ON i.tag_id = r.id WHERE i.content_type_id = %s AND i.object_id = t0.id",
        "i.id",
    ),
    ("references", Reference, "FROM {table} r WHERE r.article_id = t0.id", "r.position, r.id"),
    ("faq_items", FaqItem, "FROM {table} r WHERE r.article_id = t0.id", "r.position, r.id"),
    (
        "drugs",
        Drug,
        "FROM {table} r INNER JOIN {through} m ON m.drug_id = r.id WHERE m.article_id = t0.id AND {published}",
        "r.generic_name, r.id",
    ),
    (
        "change_notes",
        ChangeNote,
        "FROM {table} r WHERE r.content_type_id = %s AND r.object_id = t0.id",
        "r.date DESC, r.id DESC",
    ),
)


def load_article(slug: str, *, published_only: bool) -> Article | None:
    """The article at ``slug`` as its page shows it, or None (none there, or not public when ``published_only``)."""
    statement, params = _article_statement(published_only)
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    article = _article_from_row(row[: -len(LISTS)])
    article._prefetched_objects_cache = {
        name: _listed(model, _rows_from_json(model, value))
        for (name, model, *_), value in zip(LISTS, row[-len(LISTS) :], strict=True)
    }
    if article.featured_image is not None:
        prefetch_related_objects([article.featured_image], "renditions")  # as with_featured_image() does
    return article


def _models():
    user = get_user_model()
    return [Article] + [model or user for _, model in JOINED]


def _skipped(model) -> tuple[str, ...]:
    if model is Category:
        return sql.BOOKKEEPING
    return USER_SKIP if model is get_user_model() else ()


def _article_statement(published_only: bool) -> tuple[str, list]:
    where, params = sql.published_where("t0") if published_only else ("1 = 1", [])
    drugs_published, drugs_params = sql.published_where("r")
    article_type = counts.article_type().pk
    lists_params = [article_type, *drugs_params, article_type]  # in LISTS' order: tags, drugs, change notes
    return _article_statement_text(where, drugs_published, connection.vendor), [*lists_params, *params]


@cache
def _article_statement_text(where: str, drugs_published: str, vendor: str) -> str:
    article, category, user = sql.table(Article), sql.table(Category), sql.table(get_user_model())
    select = ", ".join(sql.columns(model, f"t{number}", skip=_skipped(model)) for number, model in enumerate(_models()))
    names = {"tagged": sql.table(TaggedItem), "through": sql.table(Article.drugs.through), "published": drugs_published}
    lists = ", ".join(
        _json_list(model, rows.format(table=sql.table(model), **names), order, vendor)
        for _, model, rows, order in LISTS
    )
    return (
        f"SELECT {select}, {lists} FROM {article} t0"  # noqa: S608  # nosec B608  # names from model metadata; values bound
        f" INNER JOIN {category} t1 ON t1.id = t0.category_id"
        f" LEFT OUTER JOIN {category} t2 ON t2.id = t1.parent_id"
        f" INNER JOIN {user} t3 ON t3.id = t0.author_id"
        f" LEFT OUTER JOIN {user} t4 ON t4.id = t0.reviewed_by_id"
        f" LEFT OUTER JOIN {sql.table(ReviewerProfile)} t5 ON t5.user_id = t4.id"
        f" LEFT OUTER JOIN {sql.table(Image)} t6 ON t6.id = t0.featured_image_id"
        f" WHERE {where} AND t0.slug = %s"
    )


def _json_list(model, rows: str, order: str, vendor: str) -> str:
    """A column holding ``rows`` of ``model`` (alias ``r``; ``rows`` is the text after the select list) in
    ``order``, as a JSON list of lists of its columns' values."""
    if vendor == "postgresql":
        return f"(SELECT json_agg(json_build_array({sql.columns(model, 'r')}) ORDER BY {order}) {rows})"  # noqa: S608  # nosec B608  # names from model metadata
    # SQLite: aggregated in the order of an ordered subquery, which SQLite cannot flatten into an aggregate.
    ordered = f"SELECT {sql.columns(model, 'r')} {rows} ORDER BY {order}"  # noqa: S608  # nosec B608  # names from model metadata
    return f"(SELECT json_group_array(json_array({sql.columns(model, 'o')})) FROM ({ordered}) o)"  # noqa: S608  # nosec B608  # names from model metadata


def _rows_from_json(model, value) -> list:
    """The instances of a ``_json_list`` column (psycopg decodes JSON; SQLite hands back its text). SQLite's
    values are what its columns hold, converted as ``sql.instances`` converts any; PostgreSQL writes dates and
    times as ISO text, read back here."""
    if value is None:
        return []
    if isinstance(value, str):
        return sql.instances(model, json.loads(value))
    for row in value:
        for position, parse in _iso_parsers(model):
            if row[position] is not None:
                row[position] = parse(row[position])
    return sql.instances(model, value)


@cache
def _iso_parsers(model) -> list:
    """(position, parser) of ``model``'s date and datetime columns."""
    parsers = {"DateTimeField": datetime.datetime.fromisoformat, "DateField": datetime.date.fromisoformat}
    return [
        (position, parsers[field.get_internal_type()])
        for position, field in enumerate(model._meta.concrete_fields)
        if field.get_internal_type() in parsers
    ]


def _article_from_row(row) -> Article:
    """The article and its joined rows, each cached where the ORM's select_related would cache it."""
    found, start = [], 0
    for model in _models():
        skip = _skipped(model)
        width = sql.field_count(model, skip=skip)
        values, start = row[start : start + width], start + width
        found.append(None if values[0] is None else sql.instance(model, values, skip=skip))
    article = found[0]
    for number, (path, _model) in enumerate(JOINED, start=1):
        *owner_path, name = path.split(".")
        owner = article
        for step in owner_path:
            owner = getattr(owner, step)
        if owner is not None:
            _cache(owner, name, found[number])
    return article


def _cache(owner, name: str, value) -> None:
    """``owner.name`` is ``value`` without a query, as select_related leaves it (None for a missing row)."""
    descriptor = getattr(type(owner), name)
    if hasattr(descriptor, "field"):  # a foreign key
        descriptor.field.set_cached_value(owner, value)
    else:  # the reverse side of a one-to-one: a missing row raises DoesNotExist, as after select_related
        descriptor.related.set_cached_value(owner, value)


def _listed(model, rows: list) -> QuerySet:
    """A queryset answering with ``rows``, as a prefetch leaves one for ``article.<relation>.all()``.

    A prefetch builds it from the relation's manager, filtered to the article;
    composing those five filters was a third of loading the article (about
    0.9 ms). This one stands on an empty query instead: iterating, counting or
    indexing it gives ``rows``, and a chained queryset (``filter``,
    ``order_by``) gives nothing, never another article's rows.
    """
    queryset = QuerySet(model=model, query=_nothing(model))
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


@cache
def _nothing(model) -> Query:
    """A query selecting no ``model`` rows, shared: a queryset clones its query before changing it."""
    return model._default_manager.none().query
