#!/usr/bin/env python3
"""Server time of an editor's save through the real admin, and how long until derived data is current.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medsite_100k \\
        .venv/bin/python bench/publish.py --saves 20

Three kinds of save, each ``--saves`` times, by a signed-in publisher through
Django's test client (CSRF off, as the test client does; production settings,
DEBUG off, in-process so no network is timed):

- **publish**: a draft carrying the tags of a random published article is
  published from its change form (the "Publish" button, with a medical review
  signed off);
- **retag**: a random published article gets one of its tags swapped for one
  of the 50 most used, published at once ("Publish changes": tags are editorial);
- **edit**: a random published article's body gets a sentence more, saved
  ("Save"): on a published page that keeps the change for medical review
  (``workflow.pending``), so readers and "See also" are untouched.

The time is that of the POST alone (the admin's transaction and every
``on_commit`` callback run inside it). The change form is read first, untimed,
and posted back with the change, as a browser would.

Work that moved off the request to the task queue (django-tasks' database
backend) is then run by a real ``manage.py db_worker`` started by this script;
after each save the script waits until every task the save queued has
finished and reports that lag too (save returned -> "See also", counts and
search current). Without queued work the data is current when the save returns.

The drafts it publishes are created by the script (slug prefix ``bench-publish-``)
and deleted at the end; re-tagged and edited articles keep their change.
"""

import argparse
import collections
import cProfile
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_SECRET = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105 - local benchmark only
SLUG_PREFIX = "bench-publish-"


def django_env() -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "medsite.settings.prod",
        "SECRET_KEY": BENCH_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        # The test client signs in without a second factor; the middleware's check itself costs microseconds.
        "REQUIRE_TWO_FACTOR": "0",
        "LOG_LEVEL": "WARNING",
    }
    return {**env, **{k: v for k, v in os.environ.items() if k in {"DATABASE_URL", "REDIS_URL"}}}


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the database to measure.")
    os.environ.update(django_env())
    sys.path.insert(0, str(ROOT))
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # production settings read the manifest
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], check=True)
    import django

    django.setup()


def bench_users():
    """A publisher ("bench-publisher") and a medical reviewer ("bench-reviewer"), created once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from workflow.models import ReviewerProfile
    from workflow.roles import MEDICAL_REVIEWER, PUBLISHER, sync_roles

    sync_roles()
    users = get_user_model()
    publisher, _ = users.objects.get_or_create(username="bench-publisher", defaults={"is_staff": True})
    publisher.groups.add(Group.objects.get(name=PUBLISHER))
    reviewer, _ = users.objects.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    reviewer.groups.add(Group.objects.get(name=MEDICAL_REVIEWER))
    ReviewerProfile.objects.get_or_create(user=reviewer, defaults={"credentials": "MD (benchmark)"})
    return publisher, reviewer


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def print_profile(kind: str, saves: int, profiler: cProfile.Profile, statements: list[dict]) -> None:
    """cProfile's functions by cumulative time, and the SQL statements that took longest, over the profiled saves
    (the profile slows them, so the save times above are the unprofiled kinds' or a run without --profile)."""
    print(f"\n{kind}: {len(statements) / saves:.0f} SQL statements a save; slowest (ms, statement):")
    for query in sorted(statements, key=lambda q: -float(q["time"]))[:12]:
        print(f"  {float(query['time']) * 1000:8.1f}  {' '.join(query['sql'].split())[:160]}")
    shapes = collections.Counter(re.sub(r"\s+", " ", q["sql"])[:70] for q in statements)
    print("\nmost repeated statements (times a save, first 70 characters):")
    for shape, times in shapes.most_common(15):
        print(f"  {times / saves:6.1f}  {shape}")
    print()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=20, help="Saves of each kind.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker (queued work waits).")
    parser.add_argument(
        "--profile",
        choices=["publish", "retag", "edit"],
        help="Also print where that kind of save spends its time: cProfile's top functions and its slowest SQL.",
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, TagArticleCount
    from publishing.models import Status
    from publishing.task_queue import DERIVED_QUEUE
    from tests.admin_helpers import form_data  # what a browser would post back, unchanged

    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the task queue is part of the stack
        DBTaskResult = None

    publisher, reviewer = bench_users()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(publisher)

    rng = random.Random(args.seed)  # noqa: S311 - picks sample articles, no secrets
    published_ids = list(Article.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True))
    # Re-tagging adds one of the 50 most used tags: the costly case for "See also" (many candidates).
    big_tags = list(
        Tag.objects.filter(pk__in=TagArticleCount.objects.order_by("-articles").values("pk")[:50]).values_list(
            "name", flat=True
        )
    )

    def change_url(pk):
        return reverse("admin:articles_article_change", args=[pk])

    def make_draft(source_pk, n):
        source = Article.objects.get(pk=source_pk)
        with transaction.atomic():
            draft = Article.objects.create(
                title=f"Benchmark draft {n} ({source.title})"[:200],
                slug=f"{SLUG_PREFIX}{n}-{time.time_ns()}",
                summary=source.summary,
                body=source.body,
                category_id=source.category_id,
                author_id=source.author_id,
                status=Status.DRAFT,
            )
            draft.tags.set(list(source.tags.all()))
        return draft.pk

    def wait_until_done(started, since, timeout=120.0):
        """Seconds from ``started`` until the tasks queued since ``since`` have finished (None: none queued)."""
        if DBTaskResult is None:
            return None
        ids = list(DBTaskResult.objects.filter(enqueued_at__gte=since).values_list("id", flat=True))
        if not ids:
            return None
        finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
        while time.perf_counter() - started < timeout:
            if not DBTaskResult.objects.filter(id__in=ids).exclude(status__in=finished).exists():
                failed = DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.FAILED).count()
                if failed:
                    print(f"  {failed} task(s) failed", flush=True)
                return time.perf_counter() - started
            time.sleep(0.01)
        return float("inf")

    profiler, statements, profiling = cProfile.Profile(), [], {"kind": None}

    def post(url, data):
        if profiling["kind"] != args.profile:
            return client.post(url, data)
        with CaptureQueriesContext(connection) as queries:
            profiler.enable()
            response = client.post(url, data)
            profiler.disable()
        statements.extend(queries.captured_queries)
        return response

    def timed_post(url, data):
        since = timezone.now()
        started = time.perf_counter()
        response = post(url, data)
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            errors = re.findall(
                r'class="errorlist[^"]*"[^>]*>(.*?)</ul>|class="error">(.*?)</li>', response.content.decode()
            )
            raise SystemExit(f"POST {url} answered {response.status_code}: {errors or response.content[:500]!r}")
        return elapsed, wait_until_done(started, since)

    def publish_one(n):
        pk = make_draft(rng.choice(published_ids), n)
        data = form_data(client, change_url(pk))
        data.update(
            {
                "_workflow": Status.PUBLISHED,
                "reviewed_by": str(reviewer.pk),
                "last_reviewed": timezone.localdate().isoformat(),
                "published_at_0": "",
                "published_at_1": "",
            }
        )
        return timed_post(change_url(pk), data)

    def retag_one(n):
        pk = rng.choice(published_ids)
        data = form_data(client, change_url(pk))
        tags = data.get("tags") or []
        tags = [tags] if isinstance(tags, str) else list(tags)
        added = rng.choice([t for t in big_tags if t not in tags])
        if tags:
            tags.pop(rng.randrange(len(tags)))
        tags.append(added)
        # Tags are editorial: the publisher puts the change live at once ("Publish changes").
        data.update({"tags": tags, "_workflow": "publish_changes"})
        return timed_post(change_url(pk), data)

    def edit_one(n):
        pk = rng.choice(published_ids)
        data = form_data(client, change_url(pk))
        data["body"] = data.get("body", "") + f"<p>Benchmark edit {n}.</p>"
        return timed_post(change_url(pk), data)

    worker = None
    if not args.no_worker and DBTaskResult is not None:
        worker = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "db_worker",
                "--queue-name",
                DERIVED_QUEUE,
                "--no-startup-delay",
                "--interval",
                "0.05",
                "--no-reload",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env={**os.environ},
        )
    results = {}
    try:
        for kind, action in (("publish", publish_one), ("retag", retag_one), ("edit", edit_one)):
            action(-1)  # warm-up, not counted
            profiling["kind"] = kind
            results[kind] = [action(n) for n in range(args.saves)]
            profiling["kind"] = None
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        for pk in list(Article.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)):
            with transaction.atomic():
                Article.objects.get(pk=pk).delete()

    header = f"{'save':<10}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}"
    print(f"{header}   {'current after: median ms':>24}{'p95 ms':>9}")
    for kind, rows in results.items():
        if not rows:
            continue
        saves = [elapsed * 1000 for elapsed, _ in rows]
        lags = [lag * 1000 for _, lag in rows if lag is not None]
        lag_cells = (
            f"{statistics.median(lags):>24.0f}{percentile(lags, 0.95):>9.0f}" if lags else f"{'on return':>24}{'':>9}"
        )
        print(
            f"{kind:<10}{len(saves):>4}{statistics.median(saves):>11.0f}{percentile(saves, 0.95):>9.0f}"
            f"{max(saves):>9.0f}   {lag_cells}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.profile:
        print_profile(args.profile, args.saves, profiler, statements)
    return 0


if __name__ == "__main__":
    sys.exit(main())
