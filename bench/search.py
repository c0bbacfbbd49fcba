#!/usr/bin/env python
"""Benchmark site search on a large site, on PostgreSQL and on SQLite.

Usage (from the project root):

    .venv/bin/python bench/search.py --articles 100000
    .venv/bin/python bench/search.py --articles 100000 --backend postgresql \
        --postgres-url postgres://postgres@127.0.0.1:5432/medsite_search_bench

For each backend the script runs itself in a child process pointed at its
own database (DATABASE_URL is set before Django starts): by default
``/tmp/medsite_search_bench_<N>.sqlite3`` and the PostgreSQL database
``medsite_search_bench`` (created through the ``postgres`` maintenance
database when missing). The child

1. reuses the site if the database already holds N articles and their index
   rows, and otherwise empties it and builds it: the corpus from
   ../shared/bench/make_corpus.py N (cached as /tmp/medsite_corpus_<N>.jsonl),
   loaded with bulk_create (no signals), then the whole search index written
   by ``search.indexing.reindex_all``;
2. times ``search.services.search_site`` (what the search page runs, without
   the template) for each query, ``--repeat`` times after two warm-up runs,
   and the full page through Django's test client for two of them;
3. prints median and 95th percentile in milliseconds, the result count, and
   the SQL query count of one run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/medsite_search_bench"
BRANDS = {"azathioprine": ["Imuran", "Azasan"], "ibuprofen": ["Advil", "Motrin"], "naproxen": ["Aleve", "Naprelan"]}

# (label, query text, filters): one-word queries first, the common word being the hard case.
QUERIES = [
    ("common word (in ~every body)", "liver", {}),
    ("common word, page 10", "liver", {"page": 10}),
    ("common word, one category", "liver", {"category": "Liver Health"}),
    ("common word, drugs only", "liver", {"kind": "drug"}),
    ("word in ~5% of titles", "transplant", {}),
    ("drug name (exact, pinned)", "azathioprine", {}),
    ("brand name (exact, pinned)", "Imuran", {}),
    ("misspelled drug name", "azathiaprine", {}),
    ("two common words", "liver kidney", {}),
    ("rare word (one title)", "4242", {}),
    ("no match", "zyxwvut", {}),
]
PAGE_QUERIES = [("page: common word", {"q": "liver"}), ("page: drug name", {"q": "azathioprine"})]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backend", choices=["both", "postgresql", "sqlite"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--sqlite-path", default=None)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="build the site even if one is there")
    parser.add_argument("--child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    urls = []
    if args.backend in ("both", "postgresql"):
        urls.append(args.postgres_url)
    if args.backend in ("both", "sqlite"):
        scratch = f"/tmp/medsite_search_bench_{args.articles}.sqlite3"  # noqa: S108 - a throwaway benchmark database
        urls.append(f"sqlite:///{args.sqlite_path or scratch}")
    for url in urls:
        command = [sys.executable, __file__, "--child", url, "--articles", str(args.articles)]
        command += ["--repeat", str(args.repeat)] + (["--rebuild"] if args.rebuild else [])
        subprocess.run(command, check=True, cwd=ROOT)


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit((parts.scheme.replace("postgres", "postgresql", 1), parts.netloc, "/postgres", "", ""))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def run_child(args) -> None:
    if args.child.startswith("postgres"):
        ensure_postgres_database(args.child)
    os.environ["DATABASE_URL"] = args.child
    # The test settings: DEBUG off (no query log), static files without a manifest.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medsite.settings.test")
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # time the search itself, not a cached page
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"\n== {connection.vendor}: {args.child}")
    if args.rebuild or not site_is_built(args.articles):
        build_site(args.articles)
    measure(args.repeat)


def site_is_built(count: int) -> bool:
    from articles.models import Article
    from search.models import SearchEntry

    return Article.objects.count() == count and SearchEntry.objects.filter(kind="article").count() == count


def corpus_path(count: int) -> Path:
    path = Path(f"/tmp/medsite_corpus_{count}.jsonl")  # noqa: S108 - a cache of generated test data
    if not path.exists():
        started = time.perf_counter()
        with path.with_suffix(".tmp").open("w") as out:
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(count)], stdout=out, check=True)
        path.with_suffix(".tmp").rename(path)
        print(f"corpus written in {time.perf_counter() - started:.0f} s: {path}")
    return path


def build_site(count: int) -> None:
    """Empty the content tables and load ``count`` articles with bulk writes, then index them."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from articles.models import Article, Category
    from drugs.models import Drug
    from search.indexing import reindex_all
    from search.models import SearchEntry
    from search.signals import search_index_deferred

    path = corpus_path(count)
    started = time.perf_counter()
    with transaction.atomic(), search_index_deferred():
        SearchEntry.objects.all().delete()
        Article.objects.all().delete()
        Drug.objects.all().delete()
        Category.objects.all().delete()
        get_user_model().objects.filter(username__startswith="bench-").delete()
    with transaction.atomic(), search_index_deferred():
        load_corpus(path)
    print(f"site loaded in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    rows = reindex_all(batch_size=1000)
    print(f"reindex_all: {rows} rows in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


def load_corpus(path: Path) -> None:
    from datetime import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Category
    from drugs.models import Drug, DrugName, NameKind
    from publishing.models import Status

    categories, authors, tags, drugs = {}, {}, {}, {}
    article_type = ContentType.objects.get_for_model(Article)
    batch: list[tuple[Article, dict]] = []

    def category(name):
        if name not in categories:
            categories[name] = Category.objects.create(name=name, slug=slugify(name))
        return categories[name]

    def author(name):
        if name not in authors:
            username = "bench-" + slugify(name)
            authors[name] = get_user_model().objects.create_user(username=username, first_name=name)
        return authors[name]

    def drug(name, author):
        if name not in drugs:
            drugs[name] = Drug.objects.create(
                generic_name=name, slug=slugify(name), summary=f"About {name}.", status=Status.PUBLISHED, author=author
            )
            for brand in BRANDS.get(name, []):
                DrugName.objects.create(drug=drugs[name], name=brand, kind=NameKind.BRAND)
        return drugs[name]

    def flush():
        articles = Article.objects.bulk_create([article for article, _ in batch])
        wanted = {name for _, record in batch for name in record["tags"]} - tags.keys()
        Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in wanted], ignore_conflicts=True)
        tags.update({tag.name: tag for tag in Tag.objects.filter(name__in=wanted)})
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=article_type, object_id=article.pk, tag=tags[name])
            for article, (_, record) in zip(articles, batch, strict=True)
            for name in record["tags"]
        )
        through = Article.drugs.through
        through.objects.bulk_create(
            through(article=article, drug=drug(name, article.author))
            for article, (_, record) in zip(articles, batch, strict=True)
            for name in record["drugs"]
        )
        batch.clear()

    with path.open() as lines:
        for line in lines:
            record = json.loads(line)
            article = Article(
                title=record["title"][:200],
                slug=record["slug"][:200],
                summary=record["summary"][:500],
                body=record["body"],
                category=category(record["category"]),
                author=author(record["author"]),
                status=Status.PUBLISHED,
                published_at=datetime.fromisoformat(record["published_at"]),
            )
            batch.append((article, record))
            if len(batch) == 2000:
                flush()
    if batch:
        flush()


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client

    from articles.models import Article, Category, CategoryTree
    from search.services import search_site

    categories = list(Category.objects.all())
    print(f"{Article.objects.count()} articles; {repeat} runs a query after 2 warm-up runs")
    print(f"{'query':<32} {'text':<14} {'median ms':>9} {'p95 ms':>8} {'results':>9} {'SQL':>4}")
    for label, text, filters in QUERIES:
        options = {"page": filters.get("page", 1), "kind": filters.get("kind")}
        if "category" in filters:
            chosen = next(each for each in categories if each.name == filters["category"])
            options["category_ids"] = tuple(CategoryTree(categories).subtree_ids(chosen))

        def run(text=text, options=options):
            return search_site(text=text, **options)

        timings, outcome, queries = time_runs(run, repeat, connection)
        results = f"{'>' if outcome.more else ''}{outcome.total}"
        print(f"{label:<32} {text:<14} {median(timings):>9.1f} {p95(timings):>8.1f} {results:>9} {queries:>4}")
    client = Client(HTTP_HOST="localhost")
    for label, params in PAGE_QUERIES:

        def fetch(params=params):
            response = client.get("/search/", params)
            assert response.status_code == 200, response.status_code
            return response

        timings, _, queries = time_runs(fetch, repeat, connection)
        print(f"{label:<32} {params['q']:<14} {median(timings):>9.1f} {p95(timings):>8.1f} {'':>9} {queries:>4}")


def time_runs(function, repeat, connection):
    function()
    function()
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result, len(statements)


def median(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
