"""Fault injection against a production-like site: Redis and PostgreSQL stopped, frozen and restarted under edits.

    .venv/bin/python -m pytest tests/faults -p no:cacheprovider        (FAULTS_LOAD_SECONDS=60 for a longer load)

Every check is made over HTTP on gunicorn's two workers, with edits saved by
a separate editor process. What must hold: no 5xx but the database outage's
plain 503; after every edit the article's page, its category's and its tags'
pages show the final state within the documented ``Cache-Control`` lifetime
(``s-maxage``), and no page older than an edit is served once a worker has
re-read the cache generation (``ops.generation.RECHECK_SECONDS``).
"""

import os
import random
import re
import threading
import time

import pytest

from ops.generation import RECHECK_SECONDS
from publishing.safe_cache import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.faults

SHARED_CACHE_SECONDS = 20  # PAGE_CACHE_SHARED_SECONDS' default: the s-maxage every reader page carries
LOAD_SECONDS = float(os.environ.get("FAULTS_LOAD_SECONDS", "8"))
RANDOM = random.Random(14)  # noqa: S311 - a repeatable choice of pages and edits, not a secret
TAGS = ["Fault tag a", "Fault tag b", "Fault tag c"]
# Long enough to see the workers' cache breaker close again and their entries read back from Redis.
WATCH_SECONDS = RETRY_AFTER_SECONDS + 2


@pytest.fixture(scope="module")
def content(site):
    seeded = site.command(op="seed", articles=6, categories=2, tags=TAGS)
    assert "error" not in seeded, seeded
    return seeded


def pages_of(article: dict, tag_urls: dict) -> list[str]:
    return [article["url"], article["category_url"], *(tag_urls[tag] for tag in article["tags"])]


def warm(site, urls) -> int:
    """Load each page a few times (both workers); return how many answers came from the page cache."""
    hits = 0
    for url in urls:
        for _ in range(4):
            status, headers, _ = site.get(url)
            assert status == 200, url
            hits += headers.get("X-Page-Cache") == "hit"
    return hits


def edit(site, article: dict, title: str, tags=None) -> None:
    command = {"op": "edit", "id": article["id"], "title": title} | ({"tags": tags} if tags else {})
    answer = site.command(**command)
    assert answer == {"ok": True}, answer
    article["title"] = title
    if tags:
        article["tags"] = sorted(tags)


def watch(site, urls, title: str, seconds: float) -> dict:
    """Fetch the pages over and over for ``seconds``: statuses, stale answers and when each was seen."""
    started = time.monotonic()
    seen = {"5xx": 0, "stale_at": [], "fresh_since": None}
    while time.monotonic() - started < seconds:
        fresh = True
        for url in urls:
            status, _, body = site.get(url)
            seen["5xx"] += status >= 500 or status == 0
            if title not in body:
                fresh = False
                seen["stale_at"].append(round(time.monotonic() - started, 2))
        if fresh and seen["fresh_since"] is None:
            seen["fresh_since"] = round(time.monotonic() - started, 2)
        elif not fresh:
            seen["fresh_since"] = None
        time.sleep(0.05)
    return seen


def assert_outage_recovered(seen: dict, edited_at: float, back_at: float) -> str:
    late_stale = [t for t in seen["stale_at"] if back_at - edited_at + t > RECHECK_SECONDS + 0.5]
    assert seen["5xx"] == 0, f"{seen['5xx']} 5xx answers"
    assert seen["fresh_since"] is not None and seen["fresh_since"] <= SHARED_CACHE_SECONDS, seen
    assert not late_stale, f"old page served {late_stale} s after the cache came back: {seen}"
    return (
        f"0 5xx; stale answers after it came back: {len(seen['stale_at'])} "
        f"(none later than {RECHECK_SECONDS:g}s after the edit or restart); all fresh {seen['fresh_since']}s after"
    )


def readers_see(site, urls, title: str) -> int:
    """Every page answers 200 with the edit (during an outage: uncached)."""
    for url in urls:
        status, _, body = site.get(url)
        assert status == 200, f"{url} answered {status} during the outage"
        assert title in body, f"{url} served the old page during the outage"
    return len(urls)


def test_redis_shut_down_saving_its_data_an_edit_then_a_restart(site, content, row):
    row["scenario"] = "Redis SHUTDOWN SAVE, edit, restart on saved data"
    article = content["articles"][0]
    urls = pages_of(article, content["tag_urls"])
    hits = warm(site, urls)
    site.redis.shutdown_saving()
    edit(site, article, "Fault article 00 rev 001")
    edited_at = time.monotonic()
    answered = readers_see(site, urls, article["title"])
    site.redis.start()
    back_at = time.monotonic()
    assert site.redis.client().dbsize() > 0, "Redis came back without its saved pages"
    seen = watch(site, urls, article["title"], seconds=WATCH_SECONDS)
    row["detail"] = f"{hits} hits before; {answered} pages 200 during; " + assert_outage_recovered(
        seen, edited_at, back_at
    )


def test_redis_frozen_with_sigstop_during_an_edit(site, content, row):
    row["scenario"] = "Redis SIGSTOP, edit, SIGCONT"
    article = content["articles"][1]
    urls = pages_of(article, content["tag_urls"])
    hits = warm(site, urls)
    site.redis.freeze()
    try:
        edit(site, article, "Fault article 01 rev 001")
        edited_at = time.monotonic()
        answered = readers_see(site, urls, article["title"])
    finally:
        site.redis.thaw()
    back_at = time.monotonic()
    seen = watch(site, urls, article["title"], seconds=WATCH_SECONDS)
    row["detail"] = f"{hits} hits before; {answered} pages 200 during; " + assert_outage_recovered(
        seen, edited_at, back_at
    )


def test_redis_killed_after_an_edit_and_restarted_on_an_older_snapshot(site, content, row):
    row["scenario"] = "Redis SAVE, edit, SIGKILL, restart on the older snapshot"
    article = content["articles"][3]
    urls = pages_of(article, content["tag_urls"])
    hits = warm(site, urls)
    site.redis.client().save()
    edit(site, article, "Fault article 03 rev 001")  # its bumps reach Redis's memory, not the snapshot
    readers_see(site, urls, article["title"])
    site.redis.kill()
    site.redis.start()
    back_at = time.monotonic()
    assert site.redis.client().dbsize() > 0, "Redis came back without its snapshot"
    seen = watch(site, urls, article["title"], seconds=WATCH_SECONDS)
    row["detail"] = f"{hits} hits before; " + assert_outage_recovered(seen, back_at, back_at)


def test_postgresql_stopped_and_started(site, content, row):
    row["scenario"] = "PostgreSQL stopped, then started"
    article = content["articles"][2]
    urls = pages_of(article, content["tag_urls"])
    warm(site, urls)
    site.postgres.stop()
    try:
        cached = [site.get(url) for url in urls]
        assert all(status == 200 for status, _, _ in cached), [status for status, _, _ in cached]
        status, headers, body = site.get(f"/?uncached={time.monotonic_ns()}")
        assert status == 503 and headers.get("Retry-After"), status
        assert "Traceback" not in body
        health_status, _, health = site.get("/healthz")
        assert health_status == 503 and '"database": "down: OperationalError"' in health, health
        refused = site.command(op="edit", id=article["id"], title="never saved")
        assert "error" in refused, refused
    finally:
        site.postgres.start()
    started = time.monotonic()
    while site.get("/healthz")[0] != 200:
        assert time.monotonic() - started < 30, "the site did not recover without a restart"
        time.sleep(0.2)
    recovered = time.monotonic() - started
    edit(site, article, "Fault article 02 rev 001")
    seen = watch(site, urls, article["title"], seconds=1)
    assert seen["5xx"] == 0 and not seen["stale_at"], seen
    row["detail"] = (
        "cached pages 200, others 503 + Retry-After, /healthz 503 'database: down: OperationalError', "
        f"edit refused; /healthz 200 {recovered:.1f}s after start, no restart; edit after shows at once"
    )


class Readers:
    """Threads loading every reader page in a loop until stopped; counts answers by status class."""

    def __init__(self, site, urls, threads: int = 4):
        self.site, self.urls, self.stop = site, urls, threading.Event()
        self.counts = {"2xx": 0, "3xx/4xx": 0, "5xx": 0, "no answer": 0}
        self.others: set[tuple[int, str]] = set()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(threads)]

    def read(self):
        while not self.stop.is_set():
            url = RANDOM.choice(self.urls)
            status, _, _ = self.site.get(url)
            kind = "no answer" if status == 0 else "5xx" if status >= 500 else "2xx" if status < 300 else "3xx/4xx"
            with self.lock:
                self.counts[kind] += 1
                if kind != "2xx":
                    self.others.add((status, url))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def final_state_problems(site, articles, tag_urls) -> list[str]:
    problems = []
    for article in articles:
        slug_link = f'href="{article["url"]}"'
        for url in pages_of(article, tag_urls):
            if article["title"] not in site.get(url)[2]:
                problems.append(f"{url} lacks {article['title']!r}")
        for tag, url in tag_urls.items():
            if tag not in article["tags"] and slug_link in site.get(url)[2]:
                problems.append(f"{url} still lists {article['url']}")
    return problems


def test_mixed_load_of_readers_and_editors(site, content, row):
    row["scenario"] = f"mixed load {LOAD_SECONDS:g}s: 4 readers, 1 editor"
    articles, tag_urls = content["articles"], content["tag_urls"]
    urls = ["/", "/tag/", "/category/", *tag_urls.values(), *{url for a in articles for url in pages_of(a, tag_urls)}]
    edits = 0
    with Readers(site, urls) as readers:
        started = time.monotonic()
        revision = 100
        while time.monotonic() - started < LOAD_SECONDS:
            revision += 1
            article = RANDOM.choice(articles)
            number = re.search(r"article (\d+)", article["title"]).group(1)
            tags = RANDOM.sample(TAGS, k=RANDOM.choice([1, 2]))
            edit(site, article, f"Fault article {number} rev {revision:03d}", tags)
            edits += 1
            time.sleep(0.05)
    checked_at = time.monotonic()
    problems = final_state_problems(site, articles, tag_urls)
    while problems and time.monotonic() - checked_at < SHARED_CACHE_SECONDS:
        time.sleep(0.5)
        problems = final_state_problems(site, articles, tag_urls)
    fresh_after = time.monotonic() - checked_at
    assert not problems, problems[:5]
    assert readers.counts["5xx"] == 0 and readers.counts["no answer"] == 0, readers.counts
    row["detail"] = (
        f"{sum(readers.counts.values())} reads {readers.counts} {sorted(readers.others)}, "
        f"{edits} edits (title + tags); "
        f"final state on every article, category and tag page (checked in {fresh_after:.1f}s)"
    )
