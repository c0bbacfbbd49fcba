#!/usr/bin/env python3
"""Server time of a page-cache hit, in-process through the WSGI handler, no network.

    .venv/bin/python bench/cache_hits.py [--cache redis|default] [--hits 2000] [--tree /path/to/other/checkout]

Migrates a throwaway SQLite database, writes one article with two tags, warms
its page, category page, tag page and the home page, then calls the WSGI
handler (what gunicorn calls) ``--hits`` times per page and prints the median
and 90th percentile in microseconds. ``--cache redis`` starts a private
redis-server on a free port; ``default`` uses whatever the settings choose with
no REDIS_URL. ``--tree`` measures another checkout the same way, alternately,
so both see the same machine load.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE = r"""
import json, os, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
call_command("migrate", verbosity=0)
from tests.factories import make_article
article = make_article(title="Azathioprine dosing", tags=["Azathioprine", "Imuran"])
pages = {
    "article": article.get_absolute_url(),
    "category": article.category.get_absolute_url(),
    "tag": "/tag/azathioprine/",
    "home": "/",
}
handler = WSGIHandler()
factory = RequestFactory(SERVER_NAME="127.0.0.1")
def call(url):
    state = {}
    def start_response(status, headers, exc_info=None):
        state["status"] = status
        state["cache"] = dict(headers).get("X-Page-Cache")
    body = handler(factory.get(url).environ, start_response)
    b"".join(body)
    body.close()
    return state
hits = int(sys.argv[1])
result = {}
for name, url in pages.items():
    call(url)
    assert call(url)["cache"] == "hit", (name, call(url))
    samples = []
    for _ in range(hits):
        started = time.perf_counter()
        call(url)
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    result[name] = [statistics.median(samples), samples[int(len(samples) * 0.9)]]
print("HITS " + json.dumps(result))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(tree: Path, hits: int, redis_url: str | None, work: Path) -> dict:
    database = work / f"db-{time.monotonic_ns()}.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medsite.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "PAGE_CACHE_SECONDS": "600",
        "LOG_LEVEL": "ERROR",
        "FILE_CACHE_DIR": str(work / f"cache-{time.monotonic_ns()}"),
        "PYTHONPATH": str(tree),
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(hits)], cwd=tree, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"measuring {tree} failed:\n{result.stderr[-3000:]}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("HITS "))
    return json.loads(line[len("HITS ") :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", choices=["redis", "default"], default="redis")
    parser.add_argument("--hits", type=int, default=2000, help="Hits per page per round.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tree", type=Path, help="Another checkout to measure against this one.")
    args = parser.parse_args()
    trees = {"this checkout": ROOT} | ({f"{args.tree}": args.tree.resolve()} if args.tree else {})
    work = Path(tempfile.mkdtemp(prefix="medsite-hits-"))
    redis = None
    try:
        redis_url = None
        if args.cache == "redis":
            port = free_port()
            redis = subprocess.Popen(
                [
                    shutil.which("redis-server") or "/usr/bin/redis-server",
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--dir",
                    str(work),
                ],
                stdout=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            redis_url = f"redis://127.0.0.1:{port}/0"
        samples: dict[str, dict[str, list]] = {name: {} for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                for page, (median, p90) in measure(tree, args.hits, redis_url, work).items():
                    samples[name].setdefault(page, []).append((median, p90))
        print(f"page-cache hits, {args.cache} cache, {args.hits} hits x {args.rounds} rounds, microseconds")
        print(f"{'checkout':<40} {'page':<10} {'median':>8} {'p90':>8}")
        for name, pages in samples.items():
            for page, runs in pages.items():
                median = statistics.median(run[0] for run in runs)
                p90 = statistics.median(run[1] for run in runs)
                print(f"{name:<40} {page:<10} {median:>8.0f} {p90:>8.0f}")
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
