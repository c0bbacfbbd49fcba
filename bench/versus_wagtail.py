#!/usr/bin/env python3
"""Uncached requests a second of six reader pages: medsite and an idiomatic Wagtail site, measured in one run.

    .venv/bin/python bench/versus_wagtail.py \\
        --database-url postgres://postgres@127.0.0.1:5432/versus_wagtail_10k [--skip-import]

The Wagtail site is bench/wagtail_peer/ (Wagtail 8.0.1): a home page, a page
per category, the articles under them, a tag route on the home page and
Wagtail's database search backend. It runs in its own virtualenv,
bench/out/wagtail-venv, made here when missing (PyPI only). Both sites hold
the same corpus (make_corpus.py N) on the same PostgreSQL server, each
behind gunicorn with 2 sync workers, no page cache, DEBUG off. Each round
loads page by page, medsite's then Wagtail's, ``wrk -t1 -c16 -d10s`` each,
so both see the same load; the table gives the medians of the rounds.
Targets: 3x on every page, 50x for search.

Without --skip-import both databases are dropped and built again from the
corpus: medsite's with bench.py's import ("See also" included), Wagtail's
(``wagtail_peer_10k`` at 10,000 articles) with the peer's import_corpus
command. --skip-medsite-import and --skip-wagtail-import skip one of them.

--recorded measures medsite only, against the Wagtail figures recorded on
another machine (WAGTAIL_RPS): ratios only as fair as the two machines' loads
are alike.
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import urllib.error
import urllib.request

from sample_pages import PICK_PAGES

import bench  # bench/ is on the path when this runs as a script

# Requests a second of the Wagtail 8 site, recorded on another machine (wrk -t1 -c16 -d10s, 2 sync workers).
WAGTAIL_RPS = {"home": 113, "article": 65, "category": 132, "category page 10": 135, "tag": 48, "search": 2.5}
TARGET = {"search": 50.0}  # every other page: 3x
DEFAULT_TARGET = 3.0

PEER = bench.ROOT / "bench" / "wagtail_peer"
PEER_VENV = bench.OUT / "wagtail-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
SEARCH_PATH = "/search/?q=patient"

# "category page 10" is the category's last page when it has fewer than 10 (a small trial corpus).
PICK = (
    PICK_PAGES
    + r"""
pages = {
    "home": "/",
    "article": reader_pages["article"],
    "category": reader_pages["category"],
    "category page 10": reader_pages["category"] + f"?page={min(10, -(-category.n // 20))}",
    "tag": reader_pages["tag"],
    "search": "/search/?q=patient",
}
print("PAGES " + json.dumps(pages))
"""
)

# Run by the peer's Python with the slugs of medsite's picks: the same pages' addresses on the Wagtail site,
# and what they must show.
PEER_PICK = r"""
import json, sys, django
django.setup()
from taggit.models import Tag
from health.models import ArticlePage, CategoryPage, HomePage
article_slug, category_slug, tag_slug, category_page = sys.argv[1:]
home = HomePage.objects.get()
articles = ArticlePage.objects.live()
article = articles.get(slug=article_slug)
category = CategoryPage.objects.live().get(slug=category_slug)
tag = Tag.objects.get(slug=tag_slug)
print("PEER " + json.dumps({
    "articles": articles.count(),
    "paths": {
        "home": home.url,
        "article": article.url,
        "category": category.url,
        "category page 10": category.url + "?" + category_page,
        "tag": home.url + home.reverse_subpage("tag", args=[tag.slug]),
        "search": "/search/?q=patient",
    },
    "shows": {
        "home": articles.order_by("-first_published_at").first().title,
        "article": article.title,
        "category": category.title,
        "category page 10": category.title,
        "tag": tag.name,
        "search": " result",
    },
}))
"""


# --- medsite -----------------------------------------------------------------------------


def build_medsite(args) -> dict | None:
    """Import the corpus into a fresh medsite database; bench.import_corpus's timings (None when skipped)."""
    if args.skip_medsite_import:
        return None
    bench.fresh_database(args)
    bench.say(f"medsite: importing {args.articles} articles")
    return bench.import_corpus(args, bench.make_corpus(args.articles))


def pick_pages(args) -> dict:
    result = subprocess.run(
        [bench.PYTHON, "-c", PICK], cwd=bench.ROOT, env=bench.django_env(args), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"picking pages failed:\n{result.stderr}")
    return json.loads(tagged_line(result.stdout, "PAGES"))


def tagged_line(output: str, tag: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith(f"{tag} "))
    return line[len(tag) + 1 :]


# --- The Wagtail peer --------------------------------------------------------------------


def peer_env(args, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peer.settings",
        "DATABASE_URL": args.wagtail_database_url,
        "SECRET_KEY": bench.BENCH_SECRET,
        **extra,
    }


def peer_manage(args, *command) -> None:
    subprocess.run([PEER_PYTHON, PEER / "manage.py", *command], cwd=PEER, env=peer_env(args), check=True)


def ensure_peer_venv() -> None:
    """Make bench/out/wagtail-venv, or bring it up to the peer's requirements.txt when that has changed."""
    requirements = PEER / "requirements.txt"
    installed = PEER_VENV / "installed-requirements.txt"
    if installed.exists() and installed.read_text() == requirements.read_text():
        return
    bench.say(f"Wagtail: installing {requirements.relative_to(bench.ROOT)} into {PEER_VENV.relative_to(bench.ROOT)}")
    if not PEER_PYTHON.exists():
        subprocess.run([bench.PYTHON, "-m", "venv", PEER_VENV], check=True)
    subprocess.run([PEER_PYTHON, "-m", "pip", "install", "-q", "-r", requirements], check=True)
    shutil.copyfile(requirements, installed)


def recreate_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def build_wagtail(args) -> float | None:
    """Import the corpus into a fresh database of the peer; the seconds it took (None when skipped)."""
    if args.skip_wagtail_import:
        return None
    recreate_database(args.wagtail_database_url)
    peer_manage(args, "migrate", "--noinput", "-v0")
    bench.say(f"Wagtail: importing {args.articles} articles")
    corpus = bench.make_corpus(args.articles)
    command = [str(PEER_PYTHON), str(PEER / "manage.py"), "import_corpus", str(corpus)]
    seconds, _ = bench.timed_child(command, peer_env(args, SEARCH_AUTO_UPDATE="0"))
    return seconds


def peer_pages(args, medsite_pages: dict) -> dict:
    """The Wagtail addresses of medsite's picks (matched by slug) and the text each page must show."""
    slugs = [last_segment(medsite_pages[name]) for name in ("article", "category", "tag")]
    category_page = medsite_pages["category page 10"].partition("?")[2]
    result = subprocess.run(
        [PEER_PYTHON, "-c", PEER_PICK, *slugs, category_page],
        cwd=PEER,
        env=peer_env(args),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"finding the pages on the Wagtail site failed:\n{result.stderr}")
    peer = json.loads(tagged_line(result.stdout, "PEER"))
    if peer["articles"] != args.articles:
        raise SystemExit(f"the Wagtail site has {peer['articles']} live articles, not {args.articles}")
    return peer


def last_segment(path: str) -> str:
    return re.search(r"([^/]+)/$", path).group(1)


class WagtailGunicorn:
    """The peer behind gunicorn, set up as bench.Gunicorn sets up medsite (sync workers, recycled alike)."""

    def __init__(self, args):
        command = [
            str(PEER_VENV / "bin" / "gunicorn"),
            f"--bind=127.0.0.1:{args.wagtail_port}",
            f"--workers={args.workers}",
            "--worker-class=sync",
            "--max-requests=20000",
            "--max-requests-jitter=2000",
            "--log-level=warning",
            "peer.wsgi",
        ]
        self.process = subprocess.Popen(command, cwd=PEER, env=peer_env(args), start_new_session=True)
        bench.wait_for(f"http://127.0.0.1:{args.wagtail_port}/")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


# --- Measuring ---------------------------------------------------------------------------


def check_page(url: str, shows: str) -> None:
    """The page answers 200 and shows ``shows`` (this also warms it)."""
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 - local http only
            page = html.unescape(response.read().decode())
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{url} answered {error.code}") from None
    if shows not in page:
        raise SystemExit(f"{url} does not show {shows!r}")


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


def wait_until_drained(url: str) -> None:
    """One more request, answered once the server has worked through what wrk left queued: a slow page (the
    peer's search, 0.4 s a request) otherwise keeps both CPUs busy into the next site's run."""
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - local http only
        response.read()


def measure(args, sites: dict) -> dict:
    """Requests a second per site and page, each round alternating the sites page by page.

    ``sites`` maps a site's name to (base URL, {page name: path}, {page name: text it must show}).
    """
    for base, paths, shows in sites.values():
        for name, path in paths.items():
            check_page(base + path, shows[name])
    names = list(next(iter(sites.values()))[1])
    rates = {site: {name: [] for name in names} for site in sites}
    for round_number in range(1, args.rounds + 1):
        for name in names:
            for site, (base, paths, _) in sites.items():
                rates[site][name].append(requests_a_second(base + paths[name], args.duration))
                wait_until_drained(base + paths[name])
        for site in sites:
            bench.say(f"round {round_number}, {site}: " + ", ".join(f"{n} {rates[site][n][-1]:.1f}" for n in names))
    return rates


# --- Main --------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="medsite's PostgreSQL database (dropped unless skipped).")
    parser.add_argument(
        "--wagtail-database-url", help="The peer's database (dropped unless skipped). Default: wagtail_peer_10k etc."
    )
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--skip-import", action="store_true", help="Reuse both databases of an earlier run.")
    parser.add_argument("--skip-medsite-import", action="store_true", help="Reuse medsite's database only.")
    parser.add_argument("--skip-wagtail-import", action="store_true", help="Reuse the Wagtail database only.")
    parser.add_argument("--recorded", action="store_true", help="Measure medsite only, against WAGTAIL_RPS.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--port", type=int, default=8116, help="medsite's gunicorn port")
    parser.add_argument("--wagtail-port", type=int, default=8117, help="the Wagtail peer's gunicorn port")
    args = parser.parse_args(argv)
    args.skip_medsite_import |= args.skip_import
    args.skip_wagtail_import |= args.skip_import or args.recorded
    if not args.wagtail_database_url:
        size = f"{args.articles // 1000}k" if args.articles % 1000 == 0 else str(args.articles)
        args.wagtail_database_url = f"postgres://postgres@127.0.0.1:5432/wagtail_peer_{size}"
    # What bench.py's helpers read: no Redis (no page cache here), 2 sync workers as in the recorded set-up.
    args.redis_url, args.workers, args.threads = None, 2, 1
    args.skip_see_also = args.skip_search_index = False
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    ports = [args.port] if args.recorded else [args.port, args.wagtail_port]
    for port in ports:
        if not bench.port_is_free(port):
            raise SystemExit(f"port {port} is taken")
    medsite_import = build_medsite(args)
    bench.manage(args, "collectstatic", "--noinput", "-v0")  # production settings serve hashed static names
    pages = pick_pages(args)
    if args.recorded:
        return run_recorded(args, pages, medsite_import)
    ensure_peer_venv()
    wagtail_seconds = build_wagtail(args)
    peer = peer_pages(args, pages)
    sites = {
        "medsite": (f"http://127.0.0.1:{args.port}", pages, peer["shows"]),
        "Wagtail": (f"http://127.0.0.1:{args.wagtail_port}", peer["paths"], peer["shows"]),
    }
    servers = []
    try:
        servers.append(bench.Gunicorn(args, page_cache=False))
        servers.append(WagtailGunicorn(args))
        rates = measure(args, sites)
    finally:
        for server in servers:
            server.stop()
    report_imports(args, medsite_import, wagtail_seconds)
    medians = {site: {name: statistics.median(values) for name, values in rates[site].items()} for site in rates}
    report(pages, peer["paths"], medians["Wagtail"], medians["medsite"], "this run")
    return 0


def run_recorded(args, pages: dict, medsite_import: dict | None) -> int:
    server = bench.Gunicorn(args, page_cache=False)
    try:
        shows = dict.fromkeys(pages, "")  # the recorded figures name no content to check
        rates = measure(args, {"medsite": (f"http://127.0.0.1:{args.port}", pages, shows)})["medsite"]
    finally:
        server.stop()
    report_imports(args, medsite_import, None)
    medsite = {name: statistics.median(values) for name, values in rates.items()}
    report(pages, None, WAGTAIL_RPS, medsite, "the recorded figures, not this run")
    return 0


def report_imports(args, medsite: dict | None, wagtail_seconds: float | None) -> None:
    skipped = "not run (the database of an earlier run)"
    bench.say(f"\nImport of {args.articles} articles, wall time of the child processes:")
    if medsite is None:
        bench.say(f"  medsite: {skipped}")
    else:
        seconds = medsite["import_seconds"], medsite["see_also_seconds"]
        bench.say(f"  medsite: import_articles {seconds[0]:.1f} s, then rebuild_see_also {seconds[1]:.1f} s")
    if not args.recorded:
        if wagtail_seconds is None:
            bench.say(f"  Wagtail: {skipped}")
        else:
            bench.say(f"  Wagtail: import_corpus {wagtail_seconds:.1f} s (pages, update_index and VACUUM: split above)")


def report(pages: dict, wagtail_pages: dict | None, wagtail: dict, medsite: dict, source: str) -> None:
    print(f"\nUncached requests a second (median of the rounds); Wagtail: {source}")
    print("| page | Wagtail | medsite | ratio | target | met |\n| --- | ---: | ---: | ---: | ---: | --- |")
    for name, path in pages.items():
        ratio = medsite[name] / wagtail[name]
        target = TARGET.get(name, DEFAULT_TARGET)
        met = "yes" if ratio >= target else "no"
        where = f"`{path}`" + (f", `{wagtail_pages[name]}`" if wagtail_pages else "")
        rates = f"{rate(wagtail[name])} | {rate(medsite[name])}"
        print(f"| {name} ({where}) | {rates} | {ratio:.1f}x | {target:.0f}x | {met} |")


def rate(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


if __name__ == "__main__":
    sys.exit(main())
