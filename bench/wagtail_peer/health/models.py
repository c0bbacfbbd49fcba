"""The peer's page tree: the home page, a page per category under it, and the articles under those."""

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

LATEST_COUNT = 10
LISTING_PAGE_SIZE = 20
RELATED_COUNT = 5


def paginate(request, articles, per_page):
    """The page of ``articles`` that ?page= asks for (the first if it is not a number, the last if too high)."""
    return Paginator(articles, per_page).get_page(request.GET.get("page"))


def with_categories(articles) -> list:
    """Set each article's category (its parent page) from one query, rather than one query a card."""
    articles = list(articles)
    parent_paths = {article.path[: -Page.steplen] for article in articles}
    categories = {category.path: category for category in CategoryPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.category = categories[article.path[: -Page.steplen]]
    return articles


def newest_articles():
    """Live articles for cards, newest first: their tags in one more query, their bodies not loaded."""
    return ArticlePage.objects.live().defer_streamfields().order_by("-first_published_at").prefetch_related("tags")


class HomePage(RoutablePageMixin, Page):
    max_count = 1
    subpage_types = ["health.CategoryPage"]

    @path("")
    def latest(self, request):
        articles = with_categories(newest_articles()[:LATEST_COUNT])
        return self.render(request, context_overrides={"articles": articles})

    @path("tag/<slug:tag_slug>/", name="tag")
    def tagged(self, request, tag_slug):
        tag = get_object_or_404(Tag, slug=tag_slug)
        articles = paginate(request, newest_articles().filter(tags=tag), LISTING_PAGE_SIZE)
        articles.object_list = with_categories(articles.object_list)
        return self.render(
            request, template="health/tag_page.html", context_overrides={"tag": tag, "articles": articles}
        )


class CategoryPage(Page):
    parent_page_types = ["health.HomePage"]
    subpage_types = ["health.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = paginate(request, newest_articles().child_of(self), LISTING_PAGE_SIZE)
        for article in articles:
            article.category = self
        context["articles"] = articles
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("health.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    summary = models.TextField()
    author = models.CharField(max_length=255)
    body = StreamField([("paragraph", blocks.RichTextBlock())])
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("author"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["health.CategoryPage"]
    subpage_types = []

    @cached_property
    def category(self):
        return self.get_parent()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A "related" list, as medsite's article page has "See also": live articles sharing a tag, newest first.
        context["related"] = (
            ArticlePage.objects.live()
            .filter(tags__in=self.tags.all())
            .exclude(pk=self.pk)
            .defer_streamfields()
            .distinct()
            .order_by("-first_published_at")[:RELATED_COUNT]
        )
        return context
