#!/usr/bin/env python3
"""Median server time of the editors' admin pages, in-process, signed in as a publisher.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medsite_100k \\
        .venv/bin/python bench/admin_times.py --repeat 15

Pages: the article list (default; filtered by status; filtered by the most
used tag; searched for a common and a rare word), an article's change form
and the medical review queue. Production settings (DEBUG off), Django's test
client, no network. Each page is asked once to warm up, then ``--repeat``
times; the median and the slowest are printed with the page's SQL query count
and PostgreSQL's own time for its SELECTs (EXPLAIN ANALYZE, best of two).
"""

import argparse
import json
import os
import statistics
import sys
import time

from publish import bench_users, percentile, setup_django  # bench/ is on the path when this runs as a script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="Also sum PostgreSQL's own time for the SELECTs.")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from articles.models import Article, TagArticleCount
    from publishing.models import Status

    publisher, _ = bench_users()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(publisher)

    changelist = reverse("admin:articles_article_changelist")
    largest_tag = TagArticleCount.objects.order_by("-articles").first()
    article = Article.objects.filter(status=Status.PUBLISHED).order_by("-published_at").first()
    pages = {
        "article list": changelist,
        "list, status=in_review": f"{changelist}?status__exact={Status.IN_REVIEW}",
        "list, status=published": f"{changelist}?status__exact={Status.PUBLISHED}",
        f"list, tag ({largest_tag.articles} articles)": f"{changelist}?tag={largest_tag.pk}",
        "list, search 'patient'": f"{changelist}?q=patient",
        "list, search 'azathioprine'": f"{changelist}?q=azathioprine",
        "change form": reverse("admin:articles_article_change", args=[article.pk]),
        "review queue": "/admin/review-queue/",
    }

    def database_ms(sql, params):
        best = float("inf")
        with connection.cursor() as cursor:
            for _ in range(2):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                best = min(best, plan[0]["Execution Time"] + plan[0]["Planning Time"])
        return best

    print(f"{'page':<34}{'median ms':>10}{'p95 ms':>8}{'queries':>8}{'SQL ms':>8}", flush=True)
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql_ms = ""
        if args.explain and connection.vendor == "postgresql":
            # The captured SQL has its parameters inlined; good enough for EXPLAIN of our own queries.
            selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
            sql_ms = f"{sum(database_ms(sql, None) for sql in selects):.1f}"
        print(
            f"{name:<34}{statistics.median(samples):>10.1f}{percentile(samples, 0.95):>8.1f}"
            f"{len(queries):>8}{sql_ms:>8}",
            flush=True,
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
