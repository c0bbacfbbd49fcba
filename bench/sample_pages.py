"""The start of the code that bench.py and page_times.py run inside Django: which pages to load.

Both scripts pass it to a child Python (``python -c``) with the project on its
path, so it is text rather than a function: page_times.py may run it in
another checkout. It leaves ``published``, ``middle`` (a slug), ``category``
and ``tag`` (the largest of each, with ``.n`` articles), ``reader_pages``
(name -> address, the read API's endpoints among them) and the names it imports.
"""

PICK_PAGES = r"""
import json, re, sys, time, django
django.setup()
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from articles.models import Article, Category
settings.PAGE_CACHE_SECONDS = 0
published = Article.objects.published()
middle = published.order_by("pk").values_list("slug", flat=True)[published.count() // 2]
category = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
# The reader pages both scripts load; a page "deep" is the middle page of the largest category or tag.
reader_pages = {
    "home": "/",
    "article": f"/articles/{middle}/",
    "category": f"/category/{category.slug}/",
    "category p2": f"/category/{category.slug}/?page=2",
    "category deep": f"/category/{category.slug}/?page={max(category.n // 40, 1)}",
    "category index": "/category/",
    "tag": f"/tag/{tag.slug}/",
    "tag deep": f"/tag/{tag.slug}/?page={max(tag.n // 40, 1)}",
    "tag index": "/tag/",
    "drug index": "/drugs/",
}
# The read API's article list (first page, and one as deep as the middle article), an article and a drug monograph.
try:
    from api.pagination import NEWEST_FIRST, encode_cursor
except ImportError:  # a checkout from before the API
    encode_cursor = None
if encode_cursor is not None:
    from drugs.models import Drug
    deep = published.order_by("-published_at", "-pk")[published.count() // 2]
    reader_pages |= {
        "api list": "/api/v1/articles/",
        "api list deep": f"/api/v1/articles/?cursor={encode_cursor(NEWEST_FIRST, deep)}",
        "api article": f"/api/v1/articles/{middle}/",
    }
    drug = Drug.objects.published().annotate(n=Count("side_effects")).order_by("-n", "pk").first()
    if drug is not None:
        reader_pages["api drug"] = f"/api/v1/drugs/{drug.slug}/"
# Site pages and the drug-group indexes, where the checkout has them.
try:
    from pages.models import Page
except ImportError:  # a checkout from before site pages
    Page = None
if Page is not None:
    reader_pages |= {"drug classes": "/drug-classes/", "conditions": "/conditions/"}
    site_page = Page.objects.published().order_by("pk").first()
    if site_page is not None:
        reader_pages["site page"] = site_page.get_absolute_url()
"""
