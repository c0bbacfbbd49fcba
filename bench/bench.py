#!/usr/bin/env python3
"""End-to-end benchmark: corpus, import, gunicorn, wrk, and nginx in front.

    .venv/bin/python bench/bench.py --articles 1000                      # SQLite
    .venv/bin/python bench/bench.py --articles 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/production_bench   # PostgreSQL + Redis

Steps, each timed and printed:

1. ``shared/bench/make_corpus.py N`` writes the corpus (kept in bench/out/).
2. A fresh database; ``manage.py import_articles`` imports it (wall time and
   the import process's peak resident memory), then ``rebuild_see_also``
   (timed separately; ``--skip-see-also`` leaves it out); the demo drug
   monographs are published on the imported drugs.
3. SQL queries per public page and read-API endpoint, counted in-process
   with the page cache off.
4. gunicorn with deploy/gunicorn.conf.py and the production settings,
   loaded by wrk from a second process: each page uncached (one connection,
   for service time; and ``--connections``, for throughput), then with the
   page cache on (Redis on PostgreSQL runs; a private redis-server is started
   on ``--redis-port`` unless ``--redis-url`` is given).
5. nginx with deploy/nginx.conf (run as our own process on ``--nginx-port``):
   a cached reader page against the same HTML served as a static file.

wrk and nginx come from Debian (``apt-get install wrk nginx-light``); the
parts needing them are skipped with a message when they are missing.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sample_pages import PICK_PAGES  # bench/ is on the path when this runs as a script

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
OUT = ROOT / "bench" / "out"
BENCH_SECRET = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105 - local benchmark only


def say(message: str) -> None:
    print(message, flush=True)


# --- Environment -------------------------------------------------------------------


def django_env(args, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medsite.settings.prod",
        "SECRET_KEY": BENCH_SECRET,
        "DATABASE_URL": args.database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    env.update(extra)
    return env


def manage(args, *command, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *command], cwd=ROOT, env=env or django_env(args), check=True
    )


def timed_child(command: list[str], env: dict) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak resident MB of that process)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local http only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer 200 within {timeout} s")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# --- Steps ----------------------------------------------------------------------------


def make_corpus(count: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"corpus-{count}.jsonl"
    if not path.exists():
        say(f"Generating {count} articles with {MAKE_CORPUS.name}")
        partial = path.with_suffix(".partial")  # renamed once complete: a failed run leaves no corpus to reuse
        with partial.open("w") as handle:
            subprocess.run([PYTHON, str(MAKE_CORPUS), str(count)], stdout=handle, check=True)
        partial.replace(path)
    return path


def fresh_database(args) -> None:
    if args.database_url.startswith("sqlite"):
        db_file = Path(args.database_url.split("sqlite:///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        base, _, name = args.database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    manage(args, "migrate", "--noinput", "-v0")


def import_corpus(args, corpus: Path) -> dict:
    command = [PYTHON, str(ROOT / "manage.py"), "import_articles", str(corpus), "--skip-see-also"]
    if args.skip_search_index:
        command.append("--skip-search-index")
    seconds, peak_mb = timed_child(command, django_env(args))
    result = {"import_seconds": seconds, "import_peak_mb": peak_mb, "see_also_seconds": None}
    if not args.skip_see_also:
        see_also, _ = timed_child([PYTHON, str(ROOT / "manage.py"), "rebuild_see_also", "-v0"], django_env(args))
        result["see_also_seconds"] = see_also
    return result


def publish_drug_monographs(args) -> None:
    """The corpus creates its drugs as drafts; the demo monographs fill and publish about twenty of them,
    so drug pages and the API's drug endpoint have a real monograph to serve; the demo site pages come too."""
    code = (
        "from django.contrib.auth import get_user_model; from demo import drugs, pages; "
        "User = get_user_model(); author = User.objects.order_by('pk').first(); "
        "reviewer, _ = User.objects.get_or_create(username='bench-reviewer'); "
        "drugs.load(author=author); pages.load(author=author, reviewer=reviewer)"
    )
    manage(args, "shell", "-c", code)


PROBE = (
    PICK_PAGES
    + r"""
candidates = {**reader_pages, "search": "/search/?q=patient", "feed": "/feeds/latest/"}
client = Client(SERVER_NAME="127.0.0.1")
pages = {}
for name, url in candidates.items():
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code == 200:
        pages[name] = {"url": url, "queries": len(queries)}
print("PAGES " + json.dumps(pages))
"""
)


def probe_pages(args) -> dict:
    result = subprocess.run([PYTHON, "-c", PROBE], cwd=ROOT, env=django_env(args), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"counting queries failed:\n{result.stderr}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("PAGES "))
    return json.loads(line[len("PAGES ") :])


class Gunicorn:
    def __init__(self, args, *, page_cache: bool):
        env = django_env(
            args,
            GUNICORN_BIND=f"127.0.0.1:{args.port}",
            GUNICORN_WORKERS=str(args.workers),
            GUNICORN_THREADS=str(args.threads),
            GUNICORN_LOG_LEVEL="warning",
            PAGE_CACHE_SECONDS="600" if page_cache else "0",
        )
        gunicorn = Path(PYTHON).with_name("gunicorn")
        command = [str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "medsite.wsgi"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        wait_for(f"http://127.0.0.1:{args.port}/healthz")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


LATENCY_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, connections: int, seconds: int) -> dict:
    threads = min(connections, 2)
    output = subprocess.run(
        [
            shutil.which("wrk"),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE).groups()
        return float(value) * LATENCY_UNITS[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def load_pages(args, pages: dict, *, cached: bool) -> dict:
    results = {}
    for name, page in pages.items():
        url = f"http://127.0.0.1:{args.port}{page['url']}"
        urllib.request.urlopen(url).read()  # noqa: S310 - warm (and fill the page cache)
        if cached:
            results[name] = {"load": wrk(url, connections=args.connections, seconds=args.duration)}
        else:
            results[name] = {
                "single": wrk(url, connections=1, seconds=args.duration),
                "load": wrk(url, connections=args.connections, seconds=args.duration),
            }
    return results


def start_redis(args) -> subprocess.Popen | None:
    if args.redis_url or args.database_url.startswith("sqlite") or not shutil.which("redis-server"):
        return None
    if not port_is_free(args.redis_port):
        raise SystemExit(f"port {args.redis_port} is taken; pass --redis-url or another --redis-port")
    command = [shutil.which("redis-server"), "--port", str(args.redis_port), "--bind", "127.0.0.1"]
    process = subprocess.Popen([*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    args.redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    time.sleep(0.5)
    return process


NGINX_MAIN = """
daemon off;
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
{site}
}}
"""


def nginx_config(args, tmp: Path, static_root: Path) -> str:
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "/var/cache/nginx/medsite": str(tmp / "cache"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{args.port};",
        "listen 80;": f"listen 127.0.0.1:{args.nginx_port};",
        "/srv/medsite/staticfiles/": f"{static_root}/",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx.conf no longer contains {old!r}"
        site = site.replace(old, new)
    return NGINX_MAIN.format(tmp=tmp, site=site)


def nginx_comparison(args, pages: dict) -> dict | None:
    if not shutil.which("nginx"):
        say("SKIPPED nginx comparison: nginx is not installed (apt-get install nginx-light).")
        return None
    results = {}
    with tempfile.TemporaryDirectory(prefix="medsite-nginx-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user
        static_root = tmp / "static"
        shutil.copytree(ROOT / "staticfiles", static_root)
        config = tmp / "nginx.conf"
        config.write_text(nginx_config(args, tmp, static_root))
        nginx = subprocess.Popen([shutil.which("nginx"), "-c", str(config), "-p", str(tmp)], start_new_session=True)
        try:
            for name in ("home", "article"):
                page_url = f"http://127.0.0.1:{args.nginx_port}{pages[name]['url']}"
                wait_for(page_url)
                html = urllib.request.urlopen(page_url).read()  # noqa: S310 - local http only
                (static_root / f"bench-{name}.html").write_bytes(html)
                static = wrk(
                    f"http://127.0.0.1:{args.nginx_port}/static/bench-{name}.html",
                    connections=args.connections,
                    seconds=args.duration,
                )
                cached = wrk(page_url, connections=args.connections, seconds=args.duration)
                results[name] = {"static": static, "cached": cached, "ratio": cached["rps"] / static["rps"]}
        finally:
            os.killpg(nginx.pid, signal.SIGQUIT)
            nginx.wait(timeout=30)
    return results


# --- Report --------------------------------------------------------------------------------


def report(args, imported: dict, pages: dict, uncached: dict, cached: dict, nginx: dict | None) -> None:
    database = "SQLite" if args.database_url.startswith("sqlite") else "PostgreSQL"
    cache = "Redis" if args.redis_url else "files (the default without REDIS_URL)"
    say("")
    say(f"== medsite benchmark: {args.articles} articles, {database}, cache {cache}, {os.cpu_count()} CPUs")
    say(f"   gunicorn {args.workers} workers x {args.threads} threads; wrk {args.duration}s per run")
    if args.skip_import:
        say("Import: not run (--skip-import: the database of an earlier run)")
    else:
        say(
            f"Import: {imported['import_seconds']:.1f} s, peak memory {imported['import_peak_mb']:.0f} MB"
            + (" (search index skipped)" if args.skip_search_index else " (search index included)")
        )
    if imported["see_also_seconds"] is None:
        say("See also rebuild: skipped (--skip-see-also)")
    else:
        say(f"See also rebuild: {imported['see_also_seconds']:.1f} s")
    say("")
    header = (
        f"{'page':<15}{'SQL':>4} | {'uncached c=1':>21} | {f'uncached c={args.connections}':>29} | "
        f"{f'cached c={args.connections}':>29} | {'x':>5}"
    )
    say(header)
    say(f"{'':<19} | {'p50 ms':>10}{'p99 ms':>11} | {'rps':>9}{'p50 ms':>8}{'p99 ms':>8}{'err':>4} | "
        f"{'rps':>9}{'p50 ms':>8}{'p99 ms':>8}{'err':>4} |")  # fmt: skip
    for name, page in pages.items():
        single, load, hit = uncached[name]["single"], uncached[name]["load"], cached[name]["load"]
        say(
            f"{name:<15}{page['queries']:>4} | {single['p50_ms']:>10.2f}{single['p99_ms']:>11.2f} | "
            f"{load['rps']:>9.0f}{load['p50_ms']:>8.2f}{load['p99_ms']:>8.2f}{load['errors']:>4} | "
            f"{hit['rps']:>9.0f}{hit['p50_ms']:>8.2f}{hit['p99_ms']:>8.2f}{hit['errors']:>4} | "
            f"{hit['rps'] / max(load['rps'], 0.01):>5.1f}"
        )
    if nginx:
        say("")
        say(f"nginx (c={args.connections}): cached page vs the same HTML as a static file")
        for name, row in nginx.items():
            say(
                f"{name:<15} static {row['static']['rps']:>9.0f} rps, cached page {row['cached']['rps']:>9.0f} rps "
                f"(p99 {row['cached']['p99_ms']:.2f} ms, errors {row['cached']['errors']}): "
                f"{row['ratio']:.2f} of static"
            )
    say("")
    say("SQL = queries per page view (page cache off). x = cached rps / uncached rps at the same concurrency.")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in bench/out/.")
    parser.add_argument("--redis-url", help="Use this Redis instead of starting a private one (PostgreSQL runs).")
    parser.add_argument("--redis-port", type=int, default=8108)
    parser.add_argument("--port", type=int, default=8106, help="gunicorn port")
    parser.add_argument("--nginx-port", type=int, default=8110)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=5, help="Seconds per wrk run.")
    parser.add_argument("--skip-see-also", action="store_true", help="Do not rebuild See also after the import.")
    parser.add_argument("--skip-search-index", action="store_true", help="Import without indexing for search.")
    parser.add_argument("--skip-import", action="store_true", help="Reuse the database of an earlier run.")
    args = parser.parse_args(argv)
    if not args.database_url:
        args.database_url = f"sqlite:///{OUT / f'bench-{args.articles}.sqlite3'}"
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        say("SKIPPED load test: wrk is not installed (apt-get install wrk). Import and query counts only.")
    for port in (args.port, args.nginx_port):
        if not port_is_free(port):
            raise SystemExit(f"port {port} is taken")
    corpus = make_corpus(args.articles)
    redis = start_redis(args)
    try:
        if args.skip_import:
            imported = {"import_seconds": float("nan"), "import_peak_mb": float("nan"), "see_also_seconds": None}
        else:
            fresh_database(args)
            say(f"Importing {corpus.name}")
            imported = import_corpus(args, corpus)
            publish_drug_monographs(args)
        manage(args, "collectstatic", "--noinput", "-v0")
        pages = probe_pages(args)
        say("Queries per page: " + ", ".join(f"{name} {page['queries']}" for name, page in pages.items()))
        if not shutil.which("wrk"):
            return 0
        server = Gunicorn(args, page_cache=False)
        try:
            uncached = load_pages(args, pages, cached=False)
        finally:
            server.stop()
        server = Gunicorn(args, page_cache=True)
        try:
            cached = load_pages(args, pages, cached=True)
            nginx = nginx_comparison(args, pages)
        finally:
            server.stop()
        report(args, imported, pages, uncached, cached, nginx)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
    return 0


def raise_open_file_limit() -> None:
    """wrk, gunicorn and nginx each hold many sockets at 64+ connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


if __name__ == "__main__":
    raise_open_file_limit()
    sys.exit(main())
