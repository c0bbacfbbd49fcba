#!/usr/bin/env python3
"""Median server time of each public page, in-process, page cache off.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medsite_bench \\
        .venv/bin/python bench/page_times.py --repeat 30 [--tree /path/to/other/checkout]

The pages are the ones ``bench.py`` loads (its ``PROBE``), plus deep and
past-the-end pages of the largest tag and category, and a search for a word
nearly every article holds ("patient"). On a shared machine
wrk's latencies move with everyone else's load; this takes the median of
many short requests, adds the database's own time for the page's
queries (EXPLAIN ANALYZE, best of three) and the process's own CPU time per
request (which other processes' load barely moves), and ``--rounds`` alternates between checkouts
(``--tree`` names another one, e.g. the code before a change) so both are
measured under the same load.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from sample_pages import PICK_PAGES  # bench/ is on the path when this runs as a script

ROOT = Path(__file__).resolve().parents[1]

MEASURE = (
    PICK_PAGES
    + r"""
repeat = int(sys.argv[1])
pages = {**reader_pages, "tag past end": f"/tag/{tag.slug}/?page=99999999", "search common": "/search/?q=patient"}
def database_ms(sql):
    # The server's own time (EXPLAIN ANALYZE), best of three: steadier than wall time under load.
    if connection.vendor != "postgresql":
        return 0.0
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            best = min(best, plan[0]["Execution Time"] + plan[0]["Planning Time"])
    return best

client = Client(SERVER_NAME="127.0.0.1")
times = {}
for name, url in pages.items():
    status = client.get(url).status_code
    samples, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    sql = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    times[name] = {"status": status, "samples": samples, "cpu": cpu, "sql_ms": sum(database_ms(q) for q in sql)}
print("TIMES " + json.dumps(times))
"""
)


def measure(tree: Path, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "LOG_LEVEL": "ERROR"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "medsite.settings.dev")
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(repeat)], cwd=tree, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"measuring {tree} failed:\n{result.stderr}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("TIMES "))
    return json.loads(line[len("TIMES ") :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="Requests per page per round.")
    parser.add_argument("--rounds", type=int, default=2, help="Rounds, alternating between the checkouts.")
    parser.add_argument("--tree", type=Path, help="Another checkout to measure against this one.")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"other": args.tree.resolve()} if args.tree else {})
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    cpu: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    statuses: dict[str, dict[str, int]] = {label: {} for label in trees}
    sql_ms: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    for _ in range(args.rounds):
        for label, tree in trees.items():
            for page, row in measure(tree, args.repeat).items():
                samples[label].setdefault(page, []).extend(row["samples"])
                cpu[label].setdefault(page, []).extend(row["cpu"])
                statuses[label][page] = row["status"]
                sql_ms[label].setdefault(page, []).append(row["sql_ms"])
    header = "".join(f"{label + ' median ms':>20}{'CPU ms':>8}{'SQL ms':>8}{'status':>7}" for label in trees)
    print(f"{'page':<16}{header}")
    for page in samples["this"]:
        cells = "".join(
            f"{statistics.median(samples[label][page]):>20.1f}{statistics.median(cpu[label][page]):>8.1f}"
            f"{min(sql_ms[label][page]):>8.1f}{statuses[label][page]:>7}"
            for label in trees
        )
        print(f"{page:<16}{cells}")
    print(
        "median ms: whole request in-process; CPU ms: the median of the Python process's own CPU time per request\n"
        "(steadier than wall time on a loaded machine; excludes the database's work); SQL ms: PostgreSQL's\n"
        "planning + execution time of its SELECTs."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
