"""The start of the code that bench.py and page_times.py run inside Django: which pages to load.

Both scripts pass it to a child Python (``python -c``) with the project on its
path, so it is text rather than a function: page_times.py may run it in
another checkout. It leaves ``published``, ``middle`` (a slug), ``category``
and ``tag`` (the largest of each, with ``.n`` articles), ``reader_pages``
(name -> address) and the names it imports.
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
"""
