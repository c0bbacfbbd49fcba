"""RSS 2.0 and Atom feeds: the latest articles, and the latest in each category and tag.

Each feed lists published articles only, newest first, with what a feed
reader shows: the full title, the summary, publish and update times, the
author and the category and tags (as feed categories). Routes are included
from medsite/urls.py under ``/feeds/`` (namespace ``feeds``).
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Article, Category
from images.embed import expand_images_absolute, images_of_bodies

ITEMS_PER_FEED = 20
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with each article's full body in ``content:encoded`` beside the summary."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(Atom1Feed):
    """Atom with each article's full body in ``<content type="html">`` beside the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestArticlesFeed(Feed):
    description_template = None
    feed_type = RssWithContent

    def get_feed(self, obj, request):
        # One feed instance serves every request (it sits in urlpatterns): a copy holds this request's
        # absolute addresses and the images of its items.
        view = copy.copy(self)
        view.request = request
        view.images = {}
        return Feed.get_feed(view, obj, request)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: latest articles"

    def link(self, obj=None):
        return reverse("articles:home")

    def description(self, obj=None):
        return f"The latest articles published on {settings.SITE_NAME}."

    def feed_url(self, obj=None):
        return reverse("feeds:latest")

    def articles(self, obj=None):
        return Article.objects.published()

    def items(self, obj=None):
        # With the body (a card leaves it out): the feed carries it whole.
        items = list(self.articles(obj).for_listing().defer(None).select_related("author")[:ITEMS_PER_FEED])
        # The library images of every item's body at once: two queries for the whole feed.
        self.images = images_of_bodies(item.body for item in items)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers treat a feed description as HTML; the summary is plain text.
        return escape(item.summary)

    def item_extra_kwargs(self, item):
        return {"content_html": str(expand_images_absolute(item.body, self.images, self.request.build_absolute_uri))}

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() or item.author.get_username()

    def item_categories(self, item):
        return [item.category.name] + [tag.name for tag in item.tag_list]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomWithContent
    subtitle = LatestArticlesFeed.description

    def feed_url(self, obj=None):
        return reverse("feeds:latest-atom")


class CategoryFeed(LatestArticlesFeed):
    """A category's articles, including those of its subcategories (as on the category page)."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or f"The latest articles in {obj.name}."

    def feed_url(self, obj=None):
        return reverse("feeds:category", kwargs={"slug": obj.slug})

    def articles(self, obj=None):
        return Article.objects.published().filter(category_id__in=obj.subtree_ids())


class CategoryAtomFeed(CategoryFeed):
    feed_type = AtomWithContent
    subtitle = CategoryFeed.description

    def feed_url(self, obj=None):
        return reverse("feeds:category-atom", kwargs={"slug": obj.slug})


class TagFeed(LatestArticlesFeed):
    """A tag's articles; like the tag page, a tag with no published article is not found."""

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not Article.objects.published().filter(tags__id=tag.pk).exists():
            raise Http404("No published article carries this tag.")
        return tag

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: articles tagged {obj.name}"

    def link(self, obj=None):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj=None):
        return f"The latest articles tagged {obj.name}."

    def feed_url(self, obj=None):
        return reverse("feeds:tag", kwargs={"slug": obj.slug})

    def articles(self, obj=None):
        return Article.objects.published().filter(tags__id=obj.pk)


class TagAtomFeed(TagFeed):
    feed_type = AtomWithContent
    subtitle = TagFeed.description

    def feed_url(self, obj=None):
        return reverse("feeds:tag-atom", kwargs={"slug": obj.slug})


app_name = "feeds"

urlpatterns = [
    path("latest/", LatestArticlesFeed(), name="latest"),
    path("latest/atom/", LatestArticlesAtomFeed(), name="latest-atom"),
    path("category/<slug:slug>/", CategoryFeed(), name="category"),
    path("category/<slug:slug>/atom/", CategoryAtomFeed(), name="category-atom"),
    path("tag/<slug:slug>/", TagFeed(), name="tag"),
    path("tag/<slug:slug>/atom/", TagAtomFeed(), name="tag-atom"),
]
