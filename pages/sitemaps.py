"""Sitemap section for the site's pages (published ones only)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from pages.models import Page


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at").order_by("pk")

    def location(self, page):
        return page.get_absolute_url()

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        return Page.objects.published().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"site-pages": PageSitemap}
