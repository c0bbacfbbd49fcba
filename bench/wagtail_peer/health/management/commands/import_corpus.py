"""``manage.py import_corpus FILE.jsonl``: the benchmark corpus as live pages, then the search index.

Each article is created with ``add_child(instance=...)`` as a live page with its
publication dates set, without a revision: 10,000 revisions would make the
import much slower and change nothing a reader sees. The search index is
built once at the end with ``update_index`` (run the import with
SEARCH_AUTO_UPDATE=0 so saves do not also index one by one), and the
reference index, which only the admin reads, is not built. Last, VACUUM
(ANALYZE) gives PostgreSQL's planner its statistics, as autovacuum would in
time (and as medsite's import does at its end).
"""

import json
import time
from datetime import datetime
from itertools import islice
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from health.models import ArticlePage, CategoryPage, HomePage

BATCH_SIZE = 500
PROGRESS_EVERY = 2000


class Command(BaseCommand):
    help = "Import the benchmark corpus (JSON Lines from shared/bench/make_corpus.py) into a fresh database."

    def add_arguments(self, parser):
        parser.add_argument("corpus", type=Path)

    def handle(self, *args, corpus, **options):
        if HomePage.objects.exists():
            raise CommandError("The site already has its pages: import into a fresh database.")
        started = time.monotonic()
        importer = Importer(make_home())
        with corpus.open() as lines, disable_reference_index_auto_update():
            for batch in batches(lines, BATCH_SIZE):
                with transaction.atomic():
                    for line in batch:
                        importer.add_article(json.loads(line))
                if importer.count % PROGRESS_EVERY == 0:
                    self.stdout.write(f"  {importer.count} articles")
        pages_seconds = time.monotonic() - started
        call_command("update_index", verbosity=0)
        index_seconds = time.monotonic() - started - pages_seconds
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        vacuum_seconds = time.monotonic() - started - pages_seconds - index_seconds
        self.stdout.write(
            f"Imported {importer.count} articles in {len(importer.categories)} categories: "
            f"pages {pages_seconds:.1f} s, update_index {index_seconds:.1f} s, VACUUM (ANALYZE) {vacuum_seconds:.1f} s"
        )


def batches(lines, size: int):
    while batch := list(islice(lines, size)):
        yield batch


def make_home() -> HomePage:
    """Put the home page in place of the welcome page that Wagtail's migrations create, and make it the site's root."""
    Page.objects.filter(depth=2).delete()  # its Site goes with it
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Health", slug="home"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Health")
    return home


class Importer:
    def __init__(self, home: HomePage):
        self.home = home
        self.categories: dict[str, CategoryPage] = {}
        self.tags: dict[str, Tag] = {}
        self.count = 0

    def add_article(self, record: dict) -> None:
        published = datetime.fromisoformat(record["published_at"])
        article = ArticlePage(
            title=record["title"],
            slug=record["slug"],
            summary=record["summary"],
            author=record["author"],
            body=[("paragraph", RichText(record["body"]))],
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        article.tags.add(*(self.tag(name) for name in record["tags"]))
        self.category(record["category"]).add_child(instance=article)
        self.count += 1

    def category(self, name: str) -> CategoryPage:
        if name not in self.categories:
            page = CategoryPage(title=name, slug=slugify(name), show_in_menus=True)
            self.categories[name] = self.home.add_child(instance=page)
        return self.categories[name]

    def tag(self, name: str) -> Tag:
        if name not in self.tags:
            self.tags[name], _ = Tag.objects.get_or_create(name=name)
        return self.tags[name]
