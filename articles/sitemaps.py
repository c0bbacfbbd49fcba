"""Sitemap sections for articles, categories, tags and the fixed index pages.

Every section lists only what readers can see (``published()``), in a
stable order so Django's 50,000-URL pages (the protocol's limit) do not shift
between requests, with the time the content last changed. Each section's
latest change (for the index) is one aggregate query, not a walk over every
item.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from publishing.models import Status
from publishing.slug_urls import slug_url


def latest_article_change():
    return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    view_name = "articles:article"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def location(self, article):
        return slug_url(self.view_name, article.slug)

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: one aggregate instead.
        return latest_article_change()


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Q(articles__status=Status.PUBLISHED, articles__published_at__lte=timezone.now())
        return Category.objects.annotate(latest=Max("articles__updated_at", filter=published)).order_by("pk")

    def lastmod(self, category):
        return max(filter(None, [category.updated_at, category.latest]))

    def get_latest_lastmod(self):
        latest = Category.objects.aggregate(latest=Max("updated_at"))["latest"]
        return max(filter(None, [latest, latest_article_change()]), default=None)


class TagSitemap(Sitemap):
    """Tags that carry at least one published article (the others answer 404), with their latest change.

    Items are ``(slug, latest change)`` pairs from one grouped query.
    """

    changefreq = "daily"

    view_name = "articles:tag"

    def items(self):
        return (
            Article.objects.published()
            .values_list("tags__slug")
            .annotate(latest=Max("updated_at"))
            .filter(tags__slug__isnull=False)
            .order_by("tags__slug")
        )

    def location(self, item):
        return slug_url(self.view_name, item[0])

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        return latest_article_change()


class ArticleIndexPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:category-index", "articles:tag-index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return latest_article_change()

    def get_latest_lastmod(self):
        return latest_article_change()


SITEMAPS = {
    "pages": ArticleIndexPagesSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
}
