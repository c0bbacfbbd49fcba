from typing import NamedTuple

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles import cards, counts
from articles.article_page import load_article
from articles.models import Article, Category, TagAlias, category_tree, featured_categories
from articles.related import see_also_for
from drugs.models import Drug
from images.embed import body_images
from publishing import sql
from publishing.views import PreviewableMixin
from workflow.views import MovedOrGoneMixin

PAGE_SIZE = 20


class CardPaginator(Paginator):
    """Pages of article cards, told the item count (a stored number) instead of running COUNT(*).

    ``page_ids(offset=, limit=)`` gives the statement selecting one page's
    article ids (``articles.cards``); the page's cards are read by those ids,
    so a deep page skips (date, id) pairs from an index rather than whole
    article rows.
    """

    def __init__(self, page_ids, per_page, *, count: int, **kwargs):
        super().__init__((), per_page, **kwargs)
        self.page_ids = page_ids
        self.stored_count = count

    @property
    def count(self) -> int:
        return self.stored_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:  # as Paginator.page() does
            top = self.count
        return self._get_page(cards.cards(self.page_ids(offset=bottom, limit=top - bottom)), number, self)


class CardListMixin:
    """A list view of article cards paged by ``CardPaginator``: ``stored_count()`` gives the count and
    ``page_ids()`` a page's ids."""

    def stored_count(self) -> int:
        raise NotImplementedError

    def page_ids(self, *, offset: int, limit: int) -> tuple[str, list]:
        raise NotImplementedError

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return CardPaginator(
            self.page_ids,
            per_page,
            count=self.stored_count(),
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )


class HomeView(CardListMixin, ListView):
    template_name = "articles/home.html"
    template_engine = "jinja2"  # medsite/jinja.py
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        return Article.objects.none()  # never paged: the count is stored and the cards come from page_ids()

    def stored_count(self):
        return counts.categories_public_count()

    def page_ids(self, *, offset, limit):
        return cards.newest_ids(category_ids=None, offset=offset, limit=limit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["featured_categories"] = featured_categories()
        return context


class ArticleDetailView(MovedOrGoneMixin, PreviewableMixin, DetailView):
    model = Article
    template_name = "articles/article_detail.html"
    template_engine = "jinja2"  # medsite/jinja.py
    context_object_name = "article"

    def moved_or_gone_queryset(self):
        return Article.objects.only("pk", "slug", "status", "published_at")

    def get_object(self, queryset=None):
        # Plain SQL: the queryset below cost ten times its statements' CPU time (articles/article_page.py).
        article = load_article(self.kwargs["slug"], published_only=not self.can_preview())
        if article is None:
            raise Http404("No article has this address.")
        return article

    def base_queryset(self):
        """What ``get_object`` reads, as a queryset (tests compare the two)."""
        return (
            Article.objects.select_related("category__parent", "author", "reviewed_by__reviewer_profile")
            .prefetch_related(
                "tags", "references", "faq_items", Prefetch("drugs", queryset=Drug.objects.published()), "change_notes"
            )
            .with_featured_image()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context["see_also"] = see_also_for(article)
        # The library images in the body, found by their numbers (two queries however many); in the context, so
        # the page cache knows the page shows them.
        context["body_images"] = body_images(article.body)
        context["is_preview"] = not article.is_public
        context["breadcrumbs"] = category_trail(article.category) + [(article.title, None)]
        return context


class CategoryIndexView(TemplateView):
    template_name = "articles/category_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category_tree"] = category_tree().roots()
        context["breadcrumbs"] = [("Categories", None)]
        return context


class CategoryDetailView(MovedOrGoneMixin, CardListMixin, ListView):
    template_name = "articles/category_detail.html"
    template_engine = "jinja2"  # medsite/jinja.py
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def moved_or_gone_queryset(self):
        return Category.objects.only("pk", "slug")

    def get_queryset(self):
        # Every category, kept by the process, gives this one, its parents, subtree and subcategories.
        self.tree = category_tree()
        self.category = self.tree.by_slug.get(self.kwargs["slug"])
        if self.category is None:
            raise Http404("No category has this address.")
        self.subtree_ids = self.tree.subtree_ids(self.category)
        return Article.objects.none()  # never paged: the count is stored and the cards come from page_ids()

    def stored_count(self):
        return counts.categories_public_count(self.subtree_ids)

    def page_ids(self, *, offset, limit):
        return cards.newest_ids(category_ids=self.subtree_ids, offset=offset, limit=limit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["subcategories"] = self.tree.children(self.category)
        context["breadcrumbs"] = [("Categories", reverse("articles:category-index"))] + category_trail(
            self.category, link_last=False
        )
        return context


class TagIndexView(TemplateView):
    template_name = "articles/tag_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tags"] = counts.tags_with_public_counts()
        context["breadcrumbs"] = [("Tags", None)]
        return context


class TagDetailView(MovedOrGoneMixin, CardListMixin, ListView):
    """One tag's articles. An alias tag ("Imuran") and its main tag ("Azathioprine") list the same articles."""

    template_name = "articles/tag_detail.html"
    template_engine = "jinja2"  # medsite/jinja.py
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    @staticmethod
    def url_of(tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def moved_or_gone_queryset(self):
        published = Article.objects.published().filter(tagged_items__tag_id=OuterRef("pk"))
        return Tag.objects.only("pk", "slug", "name").annotate(is_public=Exists(published))

    def get_queryset(self):
        found = tag_and_main(self.kwargs["slug"])
        if found is None:
            raise Http404("No tag has this address.")
        self.tag, self.main_tag, self.is_alias_group, self.public_count = found
        return Article.objects.none()  # never paged: the count is given and the cards come from page_ids()

    def stored_count(self):
        return self.public_count

    def page_ids(self, *, offset, limit):
        if self.is_alias_group:  # an article carrying two names of the group is listed once
            return cards.tag_group_ids(self.main_tag.pk, offset=offset, limit=limit)
        return cards.tag_ids(self.main_tag.pk, offset=offset, limit=limit)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["paginator"].count == 0:
            raise Http404("No published article carries this tag.")  # drafts' tags stay private
        context["tag"] = self.tag
        context["main_tag"] = self.main_tag if self.main_tag.pk != self.tag.pk else None
        context["breadcrumbs"] = [("Tags", reverse("articles:tag-index")), (self.tag.name, None)]
        return context


class TagAndMain(NamedTuple):
    tag: Tag
    main: Tag  # the main tag of its group: the tag itself unless it is an alias
    is_alias_group: bool  # an alias, or a tag with aliases
    public_count: int  # articles a reader can see on its page: the main tag's, or the group's each once


def tag_and_main(slug: str) -> TagAndMain | None:
    """The tag at ``slug``, its group's main tag and the public count of its page; None for no such tag. One
    statement in plain SQL: the queryset (``select_related`` through the alias, an ``Exists`` for aliases of its
    own) cost more CPU to compose than the rest of the tag page's queries (``publishing/sql.py``), and the count
    was a round trip of its own."""
    tag_table, alias_table = sql.table(Tag), sql.table(TagAlias)
    width = sql.field_count(Tag)
    main_id = "COALESCE(m.id, t.id)"
    count, count_params = counts.tag_public_count_sql(main_id)
    group_count, group_count_params = counts.tag_group_public_count_sql(main_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.columns(Tag, 't')}, {sql.columns(Tag, 'm')},"  # noqa: S608  # nosec B608  # names from model metadata
            f" EXISTS (SELECT 1 FROM {alias_table} x WHERE x.main_id = t.id), {count}, {group_count}"
            f" FROM {tag_table} t LEFT OUTER JOIN {alias_table} a ON a.tag_id = t.id"
            f" LEFT OUTER JOIN {tag_table} m ON m.id = a.main_id WHERE t.slug = %s",
            [*count_params, *group_count_params, slug],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    tag = sql.instance(Tag, row[:width])
    main = tag if row[width] is None else sql.instance(Tag, row[width : 2 * width])
    has_aliases, main_count, group_count = row[-3:]
    is_group = main is not tag or bool(has_aliases)
    return TagAndMain(tag, main, is_group, max((group_count if is_group else main_count) or 0, 0))


def category_trail(category: Category, *, link_last: bool = True) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the top category down to ``category``.

    Walks ``parent`` links already loaded by ``select_related`` where it can;
    categories are shallow, so a deeper tree costs at most a query a level.
    """
    trail, seen = [], set()
    node = category
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        trail.append((node.name, node.get_absolute_url()))
        node = node.parent
    trail.reverse()
    if not link_last:
        trail[-1] = (trail[-1][0], None)
    return trail
