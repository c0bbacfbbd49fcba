#!/usr/bin/env python3
"""Uncached requests a second of the reader pages, beside the recorded rates of an idiomatic Wagtail site.

    .venv/bin/python bench/versus_wagtail.py \\
        --database-url postgres://postgres@127.0.0.1:5432/versus_wagtail_10k [--skip-import]

The set-up the Wagtail figures were recorded in (README, "Beside Wagtail"):
the same 10,000-article corpus (make_corpus.py 10000) on the same PostgreSQL,
gunicorn with 2 sync workers, no page cache, DEBUG off, ``wrk -t1 -c16
-d10s`` per page, two rounds. The Wagtail site is not part of this
repository, so its rates are the recorded ones (``WAGTAIL_RPS``), not
measured in this run: the ratios are only as fair as this machine's load is
like the load they were recorded under. Targets: 3x on every page, 50x for
search.

Without ``--skip-import`` the database is dropped and built again from the
corpus (``bench.py``'s import, "See also" included).
"""

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import urllib.request

from sample_pages import PICK_PAGES

import bench  # bench/ is on the path when this runs as a script

# Requests a second of the Wagtail 8 site, recorded on this machine (wrk -t1 -c16 -d10s, 2 sync workers).
WAGTAIL_RPS = {"home": 113, "article": 65, "category": 132, "category page 10": 135, "tag": 48, "search": 2.5}
TARGET = {"search": 50.0}  # every other page: 3x
DEFAULT_TARGET = 3.0

PICK = (
    PICK_PAGES
    + r"""
pages = {
    "home": "/",
    "article": reader_pages["article"],
    "category": reader_pages["category"],
    "category page 10": reader_pages["category"] + "?page=10",
    "tag": reader_pages["tag"],
    "search": "/search/?q=patient",
}
print("PAGES " + json.dumps(pages))
"""
)


def pick_pages(args) -> dict:
    result = subprocess.run(
        [bench.PYTHON, "-c", PICK], cwd=bench.ROOT, env=bench.django_env(args), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"picking pages failed:\n{result.stderr}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("PAGES "))
    return json.loads(line[len("PAGES ") :])


def requests_a_second(url: str, seconds: int) -> float:
    output = subprocess.run(
        [shutil.which("wrk"), "-t1", "-c16", f"-d{seconds}s", "--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if failed:
        raise SystemExit(f"{url}: {failed.group(1)} responses were not 200")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="A PostgreSQL database (dropped unless --skip-import).")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--skip-import", action="store_true", help="Reuse the database of an earlier run.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--port", type=int, default=8116)
    args = parser.parse_args(argv)
    # What bench.py's helpers read: no Redis (no page cache here), 2 sync workers as in the recorded set-up.
    args.redis_url, args.workers, args.threads = None, 2, 1
    args.skip_see_also = args.skip_search_index = False
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not bench.port_is_free(args.port):
        raise SystemExit(f"port {args.port} is taken")
    if not args.skip_import:
        bench.fresh_database(args)
        bench.say(f"Importing {args.articles} articles")
        bench.import_corpus(args, bench.make_corpus(args.articles))
    bench.manage(args, "collectstatic", "--noinput", "-v0")  # production settings serve hashed static names
    pages = pick_pages(args)
    rates = {name: [] for name in pages}
    server = bench.Gunicorn(args, page_cache=False)
    try:
        for round_number in range(1, args.rounds + 1):
            for name, path in pages.items():
                url = f"http://127.0.0.1:{args.port}{path}"
                urllib.request.urlopen(url).read()  # noqa: S310 - local http only; warm
                rates[name].append(requests_a_second(url, args.duration))
            bench.say(f"round {round_number}: " + ", ".join(f"{name} {rates[name][-1]:.0f}" for name in pages))
    finally:
        server.stop()
    report(pages, rates)
    return 0


def report(pages: dict, rates: dict) -> None:
    print("\nUncached requests a second (median of the rounds); Wagtail: the recorded figures, not this run")
    print("| page | Wagtail (recorded) | medsite | ratio | target | met |\n| --- | ---: | ---: | ---: | ---: | --- |")
    for name, path in pages.items():
        medsite = statistics.median(rates[name])
        ratio = medsite / WAGTAIL_RPS[name]
        target = TARGET.get(name, DEFAULT_TARGET)
        met = "yes" if ratio >= target else "no"
        print(f"| {name} (`{path}`) | {WAGTAIL_RPS[name]} | {medsite:.0f} | {ratio:.1f}x | {target:.0f}x | {met} |")


if __name__ == "__main__":
    sys.exit(main())
