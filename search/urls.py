from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from articles.sitemaps import SITEMAPS as ARTICLE_SITEMAPS
from changelog.sitemaps import SITEMAPS as CHANGELOG_SITEMAPS
from drugs.sitemaps import SITEMAPS as DRUG_SITEMAPS
from pages.sitemaps import SITEMAPS as PAGE_SITEMAPS
from search import views

app_name = "search"

SITEMAPS = {**ARTICLE_SITEMAPS, **DRUG_SITEMAPS, **PAGE_SITEMAPS, **CHANGELOG_SITEMAPS}
SITEMAP_CACHE_SECONDS = 60 * 60

urlpatterns = [
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "search:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(views.sitemap_section),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
