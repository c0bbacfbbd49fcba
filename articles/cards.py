# ruff: noqa: S608 - SQL text is assembled from table names and constants only; every value is a bound parameter.
"""The article cards of the listing pages (home, category, tag), read with plain SQL into plain rows.

A listing page is the page a crawler or a reader from a search engine lands
on, uncached, and building it through querysets cost more than the database
did: composing and compiling the ORM's statements and making model instances
took about 4 ms of CPU for a 20-card page's two queries, the database under
1 ms. Here the statements are fixed text (the page's ids, then its cards and
their tags), so a page costs the database's time and little more.

The rules stay where they are: ``publishing.sql.published_where()`` is the SQL
form of ``PublishableQuerySet.published()``, and ``tests/test_cards.py`` checks every
listing against the querysets it replaces (same articles, same order, same
tags). A card answers the same attribute names as an ``Article`` from
``ArticleQuerySet.for_listing()``, so ``articles/jinja2/articles/cards.html``
renders either.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import prefetch_related_objects
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language
from markupsafe import Markup
from taggit.models import Tag, TaggedItem

from articles.counts import article_type
from articles.models import Article, Category, TagGroupPublication, TagLink, TagPublication
from images.models import Image
from publishing.recent import RecentEntries
from publishing.slug_urls import slug_url_maker
from publishing.sql import aware, columns, db_time, instance, marks, published_where, table


@dataclass(frozen=True, slots=True)
class CardCategory:
    pk: int
    name: str
    slug: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True, slots=True)
class Card:
    """One article's card. Frozen and compared by value: two equal cards render the same HTML (``kept_card``)."""

    pk: int
    slug: str
    url: str
    title: str
    summary: str
    published_at: datetime.datetime
    category: CardCategory
    featured_image: Image | None
    tag_list: tuple[TagLink, ...] = ()

    def get_absolute_url(self) -> str:
        return self.url

    def shown_rows(self):
        """(model label, pk) of every row the card shows: what a cached page holding it depends on."""
        yield Article._meta.label_lower, self.pk
        yield Category._meta.label_lower, self.category.pk
        if self.featured_image is not None:
            yield Image._meta.label_lower, self.featured_image.pk


def newest_ids(*, category_ids: list[int] | None, offset: int, limit: int) -> tuple[str, list]:
    """The statement selecting the ids of one page of published articles (all, or in these categories), newest
    first. A subquery of ``cards()``: the index on (category, status, published_at, id) serves it."""
    where, params = published_where("p")
    if category_ids is not None:
        where += f" AND p.category_id IN ({marks(category_ids)})"
        params += list(category_ids)
    page, page_params = _page(offset, limit)
    sql = f"SELECT p.id FROM {table(Article)} p WHERE {where} ORDER BY p.published_at DESC, p.id DESC{page}"  # nosec B608  # table names and constants; every value is bound
    return sql, [*params, *page_params]


def tag_ids(tag_id: int, *, offset: int, limit: int) -> tuple[str, list]:
    """The statement selecting the ids of one page of a tag's articles, newest first, from ``TagPublication``."""
    return _publication_ids(TagPublication, "tag_id", tag_id, offset=offset, limit=limit)


def tag_group_ids(main_tag_id: int, *, offset: int, limit: int) -> tuple[str, list]:
    """The same for a tag group (the page of "Imuran" or of "Azathioprine", its main tag), from
    ``TagGroupPublication``: an article carrying two names of the group is listed once."""
    return _publication_ids(TagGroupPublication, "main_id", main_tag_id, offset=offset, limit=limit)


def _publication_ids(model, key: str, key_id: int, *, offset: int, limit: int) -> tuple[str, list]:
    sql = (
        f"SELECT t.article_id FROM {table(model)} t WHERE t.{key} = %s AND t.published_at <= %s"  # nosec B608  # table and column names and constants; every value is bound
        " ORDER BY t.published_at DESC, t.article_id DESC"
    )
    page, page_params = _page(offset, limit)
    return sql + page, [key_id, db_time(timezone.now()), *page_params]


def _page(offset: int, limit: int) -> tuple[str, list]:
    """``LIMIT`` and ``OFFSET`` for one page. The page size, and the first page's offset, are written into the
    statement: PostgreSQL plans a prepared statement once for every call (a "generic plan") only when it looks no
    dearer than planning each call, and with a parameter for either it guessed a tenth of the table read, so the
    first pages, most of the traffic, were planned on every request (0.3-0.5 ms). Deeper pages bind the offset
    (one statement for all of them) and are planned for theirs."""
    limit = int(limit)
    return (f" LIMIT {limit} OFFSET %s", [offset]) if offset else (f" LIMIT {limit}", [])


def cards(ids: tuple[str, list]) -> list[Card]:
    """The published articles among ``ids`` (a statement and its parameters), newest first, as cards with their
    category, featured image and tags: one query, and one more for the images' renditions when a card has one.

    The tags come in the same statement, each card's as a JSON list of [name, slug] by name, gathered for the
    page's ids at once (a second round trip before; gathered card by card, PostgreSQL hashed the whole tag
    table for each card).
    """
    where, params = published_where("a")
    ids_sql, ids_params = ids
    sql = (
        f"WITH page (id) AS ({ids_sql}), {_tags_by_article(connection.vendor)}"  # nosec B608  # table names and constants; every value is bound
        " SELECT a.id, a.slug, a.title, a.summary, a.published_at, c.id, c.name, c.slug, g.tags,"
        f" {columns(Image, 'i')} FROM {table(Article)} a INNER JOIN {table(Category)} c ON c.id = a.category_id"
        f" LEFT OUTER JOIN {table(Image)} i ON i.id = a.featured_image_id"
        " LEFT OUTER JOIN tagged g ON g.object_id = a.id"
        f" WHERE a.id IN (SELECT id FROM page) AND {where} ORDER BY a.published_at DESC, a.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids_params, article_type().pk, *params])
        rows = cursor.fetchall()
    urls = slug_url_maker("articles:article"), slug_url_maker("articles:category"), slug_url_maker("articles:tag")
    found = [_card(row, *urls) for row in rows]
    prefetch_related_objects([card.featured_image for card in found if card.featured_image], "renditions")
    return found


def _card(row, article_url, category_url, tag_url) -> Card:
    pk, slug, title, summary, published_at, category_pk, name, category_slug, tags, *image = row
    category = CardCategory(category_pk, name, category_slug, category_url(category_slug))
    featured_image = None if image[0] is None else instance(Image, image)
    if isinstance(tags, str):  # SQLite: JSON as text, in no set order; sorted here as its ORDER BY name would
        tags = sorted(json.loads(tags))  # (tag names are unique, and Python orders text as SQLite's BINARY does)
    tag_list = tuple(TagLink(tag_name, tag_slug, tag_url(tag_slug)) for tag_name, tag_slug in tags or ())
    return Card(pk, slug, article_url(slug), title, summary, aware(published_at), category, featured_image, tag_list)


@cache
def _tags_by_article(vendor: str) -> str:
    """``tagged``: the page's articles' tags, a JSON list of [name, slug] per article (by name on PostgreSQL).
    Its one parameter is the article content type."""
    listed = (
        "json_agg(json_build_array(t.name, t.slug) ORDER BY t.name)"
        if vendor == "postgresql"
        else "json_group_array(json_array(t.name, t.slug))"
    )
    return (
        f"tagged AS (SELECT x.object_id, {listed} AS tags FROM {table(TaggedItem)} x"  # nosec B608  # table names
        f" INNER JOIN {table(Tag)} t ON t.id = x.tag_id"
        " WHERE x.content_type_id = %s AND x.object_id IN (SELECT id FROM page) GROUP BY x.object_id)"
    )


# The HTML of cards this process rendered last, by card and everything else the HTML depends on. About 1.3 kB a
# card, so a few megabytes: enough for the first pages of every category and tag a site has.
_rendered_cards: RecentEntries[Markup] = RecentEntries(size=4096)


class CardSetting(NamedTuple):
    """What a list's cards are rendered with besides their own values (``card_setting()``, once per list)."""

    level: int  # of the cards' headings
    zone: datetime.tzinfo  # their dates are shown in
    language: str | None  # their dates are written in
    script_prefix: str  # their addresses were made under


def card_setting(level: int, zone: datetime.tzinfo) -> CardSetting:
    return CardSetting(level, zone, get_language(), get_script_prefix())


def kept_card(render: Callable[..., Markup], article, setting: CardSetting) -> Markup:
    """``render(article, level, zone)``, the HTML of one card (``articles/jinja2/articles/cards.html``), kept for a
    ``Card`` without an image: rendering a 20-card page's cards was a fifth of its time, and most cards shown are
    ones the process showed before. The key is the card and its ``CardSetting``, every value the HTML is made of,
    so a kept card is never stale and nothing needs forgetting. An image's HTML also depends on its renditions,
    made after its first showing, so a card with one is rendered each time, as is an ``Article``
    (``ArticleQuerySet.for_listing``)."""
    if type(article) is not Card or article.featured_image is not None:
        return render(article, setting.level, setting.zone)
    key = (article, setting)
    html = _rendered_cards.get(key)
    if html is None:
        html = render(article, setting.level, setting.zone)
        _rendered_cards.remember(key, html)
    return html
