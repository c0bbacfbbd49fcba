#!/usr/bin/env python
"""Benchmark the stored "See also" scores (articles/related.py) on a large site.

Usage (from the project root):

    DJANGO_SETTINGS_MODULE=medsite.settings.dev .venv/bin/python bench/see_also.py --articles 100000
    DJANGO_SETTINGS_MODULE=medsite.settings.dev .venv/bin/python bench/see_also.py --articles 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/medsite_bench
    # peak memory of a complete rebuild_all alone:
    DJANGO_SETTINGS_MODULE=medsite.settings.dev /usr/bin/time -v .venv/bin/python bench/see_also.py \
        --articles 100000 --reuse --rebuild-only

The script points DATABASE_URL at its own database before Django starts: by
default a fresh SQLite file under /tmp; a PostgreSQL database is created if
missing (through the ``postgres`` maintenance database). It then migrates
that database (a reused one picks up new migrations) and

1. builds a synthetic site with bulk_create (signals deferred): N published
   articles over eight years, 25 categories, 300 tags drawn Zipf-like with one
   tag on exactly 20% of the articles, 2-8 tags an article. ``--reuse`` keeps
   an existing corpus of this benchmark with the same number of articles;
   any other content is flushed first;
2. fills every stored list with ``rebuild_all`` (timed: this is the full
   rebuild, with its SQL query count and the process's peak RSS before and
   after), then checks the stored lists against ``score_candidates`` on the
   first ``--verify`` articles of the sample (timing ``score_candidates``,
   the per-neighbour cost of a refresh's refill). ``--reuse --keep-lists``
   keeps the stored lists instead, and verifies nothing;
3. times, over a sample (articles carrying the 20% tag, articles carrying only
   the ten most common tags, random ones), ``see_also_for`` (page read) and
   ``refresh_see_also`` (publish/re-tag cost), counting each call's SQL
   queries (the query log is cleared before each call);
4. prints a plain-text table: wall times, and the median CPU time of this
   process (other processes may share the cores; PostgreSQL's server time is
   in the wall time only).

``--rebuild-only`` stops after the timed ``rebuild_all`` (no verification or
sample), so ``/usr/bin/time -v`` reports the rebuild's own peak memory.
``--explain`` prints the slowest queries of one refresh and of one page read
with the database's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
PostgreSQL).
"""

import argparse
import math
import os
import random
import resource
import shlex
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TAG_COUNT = 300
CATEGORY_COUNT = 25
BIG_TAG_SHARE = 0.20  # the one tag carried by a fifth of the site
ZIPF_EXPONENT = 0.6  # for the other 299 tags; the second tag lands near 15%
YEARS = 8
ARTICLE_CHUNK = 10_000
BENCH_TAG_PREFIX = "Bench tag "
PROGRESS_EVERY = 10_000  # lists between progress lines of rebuild_all
PLAN_LINE = 300  # characters of an EXPLAIN line shown (PostgreSQL repeats long IN lists)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000, help="published articles in the synthetic site")
    ap.add_argument("--database-url", help="default: a fresh SQLite file under /tmp")
    ap.add_argument("--sample", type=int, default=100, help="articles timed for refresh and read")
    ap.add_argument("--verify", type=int, default=40, help="sample articles checked against score_candidates")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reuse", action="store_true", help="keep an existing bench corpus of the same size")
    ap.add_argument("--keep-lists", action="store_true", help="with --reuse: keep stored lists, skip rebuild_all")
    ap.add_argument("--rebuild-only", action="store_true", help="stop after the timed rebuild_all")
    ap.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries of one refresh and one read")
    return ap.parse_args(argv)


# --------------------------------------------------------------------------
# Database selection (before django.setup())


def default_sqlite_url(n):
    return f"sqlite:////tmp/medsite_see_also_{n}.sqlite3"


def prepare_database(url, reuse):
    """Make sure the database exists; a SQLite file is removed unless reused."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"unsupported database URL: {url}")
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url, reuse):
    prepare_database(url, reuse)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medsite.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log except where CaptureQueriesContext asks
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --------------------------------------------------------------------------
# Corpus


def build_corpus(n, seed):
    """N published articles with Zipf-like tags, inserted in bulk."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Category
    from articles.signals import see_also_deferred
    from publishing.models import Status

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    with see_also_deferred(), transaction.atomic():
        author = get_user_model().objects.create_user("bench-author", "bench@example.com")
        categories = Category.objects.bulk_create(
            Category(name=f"Bench category {i:02d}", slug=f"bench-category-{i:02d}", position=i)
            for i in range(CATEGORY_COUNT)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"Bench tag {i:03d}", slug=f"bench-tag-{i:03d}") for i in range(TAG_COUNT)
        )
        category_ids = [c.pk for c in categories]
        tag_ids = [t.pk for t in tags]
        big_tag = tag_ids[0]
        other_tags = tag_ids[1:]
        cum, total = [], 0.0
        for i in range(len(other_tags)):
            total += (i + 2) ** -ZIPF_EXPONENT
            cum.append(total)
        with_big = set(rng.sample(range(n), round(n * BIG_TAG_SHARE)))
        article_type = ContentType.objects.get_for_model(Article)
        now = datetime.now(UTC).replace(microsecond=0)
        start = now - timedelta(days=365 * YEARS)
        step = (now - timedelta(hours=1) - start) / max(n, 1)
        for lo in range(0, n, ARTICLE_CHUNK):
            hi = min(n, lo + ARTICLE_CHUNK)
            batch, tag_sets = [], []
            for i in range(lo, hi):
                batch.append(
                    Article(
                        title=f"Bench article {i + 1}",
                        slug=f"bench-article-{i + 1}",
                        summary="A synthetic article for the See also benchmark.",
                        body="<p>Synthetic.</p>",
                        category_id=rng.choice(category_ids),
                        author=author,
                        status=Status.PUBLISHED,
                        # distinct times, in a shuffled order against the pk
                        published_at=start + step * i + timedelta(seconds=rng.randint(0, 59)),
                    )
                )
                k = rng.randint(2, 8)
                picked = {big_tag} if i in with_big else set()
                while len(picked) < k:
                    picked.add(rng.choices(other_tags, cum_weights=cum)[0])
                tag_sets.append(picked)
            Article.objects.bulk_create(batch, batch_size=2000)
            TaggedItem.objects.bulk_create(
                (
                    TaggedItem(content_type=article_type, object_id=article.pk, tag_id=tag_id)
                    for article, picked in zip(batch, tag_sets, strict=True)
                    for tag_id in sorted(picked)
                ),
                batch_size=5000,
            )
    return big_tag


def corpus_stats():
    from django.db.models import Count
    from taggit.models import TaggedItem

    from articles.models import Article

    dfs = sorted(
        TaggedItem.objects.filter(content_type=_article_type())
        .values("tag_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True),
        reverse=True,
    )
    return {
        "published": Article.objects.published().count(),
        "tags": len(dfs),
        "pairs": sum(dfs),
        "df_top": dfs[:3],
        "df_median": dfs[len(dfs) // 2] if dfs else 0,
        "df_min": dfs[-1] if dfs else 0,
        "tags_over_cap": sum(1 for d in dfs if d > _related().POSTINGS_PER_TAG),
    }


def _article_type():
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    return ContentType.objects.get_for_model(Article)


def _related():
    import articles.related

    return articles.related


def is_bench_corpus(n):
    """The database holds exactly this benchmark's site of ``n`` articles (and nothing else)."""
    from taggit.models import Tag

    from articles.models import Article

    tags = Tag.objects.count()
    bench_tags = Tag.objects.filter(name__startswith=BENCH_TAG_PREFIX).count()
    return Article.objects.count() == n and tags == bench_tags == TAG_COUNT


def ensure_corpus(n, seed, reuse):
    """(seconds spent building, reused?)"""
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    if reuse and is_bench_corpus(n):
        return 0.0, True
    if Article.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    build_corpus(n, seed)
    with connection.cursor() as cursor:  # planner statistics, as after any big import
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0, False


# --------------------------------------------------------------------------
# Sample


def pick_sample(size, seed):
    """(group, article pk) pairs: the 20% tag, only common tags, random."""
    from collections import Counter, defaultdict

    from taggit.models import TaggedItem

    rng = random.Random(seed + 1)  # noqa: S311 - synthetic data
    tags_of = defaultdict(set)
    df = Counter()
    for object_id, tag_id in TaggedItem.objects.filter(content_type=_article_type()).values_list("object_id", "tag_id"):
        tags_of[object_id].add(tag_id)
        df[tag_id] += 1
    big_tag = df.most_common(1)[0][0]
    common = {t for t, _ in df.most_common(10)}
    pks = sorted(tags_of)
    big = [pk for pk in pks if big_tag in tags_of[pk]]
    only_common = [pk for pk in pks if tags_of[pk] <= common and big_tag not in tags_of[pk]]
    third = size // 3
    chosen = []
    for group, pool, count in (
        ("20% tag", big, third),
        ("common only", only_common, third),
        ("random", pks, size - 2 * third),
    ):
        for pk in rng.sample(pool, min(count, len(pool))):
            chosen.append((group, pk))
    rng.shuffle(chosen)
    return chosen, len(big), len(only_common)


# --------------------------------------------------------------------------
# Timing helpers


def ms(seconds):
    return seconds * 1000.0


class Stopwatch:
    """Wall time and this process's CPU time of a block.

    Other processes share the cores, so wall time includes waiting for a
    core; CPU time does not. SQLite works inside this process (its CPU time
    is counted), PostgreSQL's server does not.
    """

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.lap = (time.perf_counter() - self.wall0, time.process_time() - self.cpu0)


def summary(laps):
    """Wall-time percentiles of ``(wall, cpu)`` laps, with the median CPU time."""
    if not laps:
        return {"n": 0, "median": 0.0, "p95": 0.0, "max": 0.0, "mean": 0.0, "cpu": 0.0}
    ordered = sorted(wall for wall, _ in laps)

    def pct(p):
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))]

    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": pct(0.95),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "cpu": statistics.median(cpu for _, cpu in laps),
    }


def rss_mb():
    """Peak resident set size of this process so far (what /usr/bin/time -v reports at exit)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


class QueryCounter:
    """Counts SQL statements without keeping their text (a bulk insert's SQL is large)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_rebuild():
    """A complete ``rebuild_all``: seconds, lists written, SQL statements, peak RSS before and after (MB)."""
    from django.db import connection

    counter = QueryCounter()
    rss_before = rss_mb()

    def progress(count):
        if count % PROGRESS_EVERY == 0:
            print(f"#   {count:,} lists, {time.perf_counter() - t0:.0f} s", flush=True)

    with connection.execute_wrapper(counter), Stopwatch() as watch:
        t0 = time.perf_counter()
        count = _related().rebuild_all(progress=progress)
    seconds, cpu = watch.lap
    rss_after = rss_mb()
    with connection.cursor() as cursor:  # fresh statistics for the new rows (PostgreSQL plans need them)
        cursor.execute("ANALYZE")
    return {
        "seconds": seconds,
        "cpu": cpu,
        "lists": count,
        "queries": counter.count,
        "rss_before": rss_before,
        "rss_after": rss_after,
    }


def rebuild_line(rebuild):
    per_list = ms(rebuild["seconds"] / max(rebuild["lists"], 1))
    return (
        f"rebuild_all: {rebuild['lists']:,} lists in {rebuild['seconds']:.1f} s wall, {rebuild['cpu']:.1f} s cpu "
        f"({per_list:.2f} ms/list wall), {rebuild['queries']} SQL statements; "
        f"peak RSS {rebuild['rss_before']:.0f} MB before, {rebuild['rss_after']:.0f} MB after"
    )


def time_read(sample):
    """see_also_for: time and query count, categories touched as a page would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    times, counts, lengths = [], [], []
    for _, pk in sample:
        article = Article.objects.get(pk=pk)
        connection.queries_log.clear()  # a full log (9,000) would hide new queries
        with CaptureQueriesContext(connection) as ctx, Stopwatch() as watch:
            items = _related().see_also_for(article)
            _ = [(a.title, a.category.name, a.get_absolute_url()) for a in items]
        times.append(watch.lap)
        counts.append(len(ctx.captured_queries))
        lengths.append(len(items))
    return times, counts, lengths


def time_refresh(sample):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    by_group, counts = {}, []
    for group, pk in sample:
        article = Article.objects.get(pk=pk)
        connection.queries_log.clear()  # a full log (9,000) would hide new queries
        with CaptureQueriesContext(connection) as ctx, Stopwatch() as watch:
            _related().refresh_see_also(article)
        by_group.setdefault(group, []).append(watch.lap)
        counts.append(len(ctx.captured_queries))
    return by_group, counts


def _stored_lists(pks):
    from articles.models import RelatedArticle

    lists = {}
    rows = RelatedArticle.objects.filter(article_id__in=pks).values_list("article_id", "related_id", "score")
    for article_id, related_id, score in rows:
        lists.setdefault(article_id, []).append((related_id, score))
    return lists


def _canonical(pairs, article, info):
    """A list in reader order with scores rounded, so 1-ulp sums tie as they should."""
    same = article.category_id
    return [
        pk
        for pk, score in sorted(
            pairs, key=lambda p: (-round(p[1], 9), info[p[0]][0] != same, -info[p[0]][1].timestamp(), p[0])
        )
    ]


def verify_against_score_candidates(pks):
    """Stored lists (fresh from rebuild_all) == the top of score_candidates(); also times score_candidates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    related = _related()
    stored = _stored_lists(pks)
    mismatches, times, counts = 0, [], []
    for article in Article.objects.filter(pk__in=pks):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx, Stopwatch() as watch:
            candidates = related.score_candidates(article)
        times.append(watch.lap)
        counts.append(len(ctx.captured_queries))
        expected = [(c.pk, c.score) for c in candidates[: related.STORED_PER_ARTICLE]]
        got = stored.get(article.pk, [])
        ids = {pk for pk, _ in expected} | {pk for pk, _ in got}
        info = {
            pk: (cat, pub)
            for pk, cat, pub in Article.objects.filter(pk__in=ids).values_list("pk", "category_id", "published_at")
        }
        if _canonical(expected, article, info) != _canonical(got, article, info):
            mismatches += 1
    return mismatches, times, counts


# --------------------------------------------------------------------------
# EXPLAIN


def explain_call(label, call):
    """Run ``call()``, print its five slowest queries with the plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        call()
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries)
    print(f"\nEXPLAIN: {label}: {len(queries)} queries, {ms(total):.1f} ms in SQL")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    for q in queries[:5]:
        sql = q["sql"]
        shown = sql if len(sql) < 900 else sql[:650] + " ... " + sql[-200:]
        print(f"\n-- {ms(float(q['time'])):.1f} ms: {shown}")
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                line = " | ".join(str(v) for v in row)
                print("   ", line if len(line) < PLAN_LINE else line[:PLAN_LINE] + " ...")


def explain(sample):
    from articles.models import Article

    related = _related()
    heavy = next(pk for group, pk in sample if group == "20% tag")
    article = Article.objects.get(pk=heavy)
    explain_call(f"refresh_see_also(article {heavy})", lambda: related.refresh_see_also(article))
    explain_call(f"see_also_for(article {heavy})", lambda: related.see_also_for(article))


# --------------------------------------------------------------------------
# Main


def rebuild_only(args, url, command):
    print(f"# {command}\n# load average at start: {load_average()}", flush=True)
    setup_django(url, args.reuse)
    build_seconds, reused = ensure_corpus(args.articles, args.seed, args.reuse)
    from django.db import connection

    published = _related().Article.objects.published().count()
    rebuild = timed_rebuild()
    print(f"\nrebuild_all only: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"corpus: {published:,} published articles; " + ("reused" if reused else f"built in {build_seconds:.1f} s"))
    print(rebuild_line(rebuild))
    print(f"load average at end: {load_average()}")


def main():
    args = parse_args()
    url = args.database_url or default_sqlite_url(args.articles)
    command = "DJANGO_SETTINGS_MODULE=medsite.settings.dev .venv/bin/python " + shlex.join(
        ["bench/see_also.py", *sys.argv[1:]]
    )
    if args.rebuild_only:
        rebuild_only(args, url, command)
        return
    started = time.perf_counter()
    load_start = load_average()
    print(f"# {command}\n# load average at start: {load_start}", flush=True)
    setup_django(url, args.reuse)
    from django.db import connection

    from articles.models import RelatedArticle

    build_seconds, reused = ensure_corpus(args.articles, args.seed, args.reuse)
    stats = corpus_stats()
    print(f"# corpus ready ({build_seconds:.1f} s), rebuild_all next ...", flush=True)
    rebuild = None
    if reused and args.keep_lists and RelatedArticle.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        rebuild = timed_rebuild()
    sample, big_pool, common_pool = pick_sample(args.sample, args.seed)
    pks = [pk for _, pk in sample]
    # Only lists fresh from rebuild_all equal score_candidates' top;
    # refreshes since then also offered articles to their neighbours.
    verified = min(args.verify, len(pks)) if rebuild else 0
    print(f"# verifying {verified} lists against score_candidates ...", flush=True)
    mismatches, score_times, score_counts = verify_against_score_candidates(pks[:verified]) if verified else (0, [], [])
    print("# timing see_also_for ...", flush=True)
    read_times, read_counts, read_lengths = time_read(sample)
    print("# timing refresh_see_also ...", flush=True)
    refresh_by_group, refresh_counts = time_refresh(sample)
    if args.explain:
        explain(sample)

    lines = []
    add = lines.append
    add("")
    add(f"See also benchmark: {connection.vendor} ({connection.settings_dict['NAME']})")
    add(f"command: {command}")
    add(
        f"corpus: {stats['published']:,} published articles, {stats['tags']} tags, "
        f"{stats['pairs']:,} article-tag pairs; "
        f"tag df top {stats['df_top']}, median {stats['df_median']}, min {stats['df_min']}; "
        f"{stats['tags_over_cap']} tags over POSTINGS_PER_TAG={_related().POSTINGS_PER_TAG}"
    )
    add(
        f"build: {'reused existing corpus' if reused else f'{build_seconds:.1f} s (bulk_create, signals deferred)'}; "
        f"sample {len(sample)} articles (pool: {big_pool:,} with the 20% tag, {common_pool:,} with only top-10 tags)"
    )
    add("")
    add(
        f"{'measurement (wall time; cpu: this process)':<44} {'n':>5} {'median':>10} {'p95':>10} {'max':>10} "
        f"{'cpu med':>10}   notes"
    )
    add("-" * 112)

    def row(label, s, note=""):
        add(
            f"{label:<44} {s['n']:>5} {ms(s['median']):>8.1f}ms {ms(s['p95']):>8.1f}ms {ms(s['max']):>8.1f}ms "
            f"{ms(s['cpu']):>8.1f}ms   {note}"
        )

    row(
        "see_also_for (page read)",
        summary(read_times),
        f"queries/call: {sorted(set(read_counts))}, items: {min(read_lengths)}-{max(read_lengths)}",
    )
    all_refresh = [t for times in refresh_by_group.values() for t in times]
    row("refresh_see_also, all", summary(all_refresh), f"queries/call: {min(refresh_counts)}-{max(refresh_counts)}")
    for group in ("20% tag", "common only", "random"):
        if group in refresh_by_group:
            row(f"  refresh_see_also, {group}", summary(refresh_by_group[group]))
    if score_times:
        row(
            "score_candidates (verified sample)",
            summary(score_times),
            f"queries/call: {min(score_counts)}-{max(score_counts)}",
        )
    add("-" * 112)
    if rebuild:
        add(f"{rebuild_line(rebuild)}; matches score_candidates on {verified - mismatches}/{verified} sampled articles")
    else:
        add("rebuild_all: skipped (--keep-lists); stored lists not verified")
    add(f"total wall time {time.perf_counter() - started:.0f} s; peak RSS {rss_mb():.0f} MB")
    add(f"load average: start {load_start}, end {load_average()}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
