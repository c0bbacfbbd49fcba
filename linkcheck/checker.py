"""Check web addresses politely: one or two requests at a time per host, a timeout, retries with back-off,
robots.txt honoured, a User-Agent that names the site, HEAD first and GET when HEAD is refused.

Nothing here touches the database: ``check_urls`` takes addresses and answers a ``Result`` for each, so the
command, the scheduled task and the tests share it.
"""

import threading
import time
import urllib.robotparser
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.conf import settings

# Answers worth asking again: the server may be busy or restarting.
RETRY_STATUSES = {429, 500, 502, 503, 504}
# Some servers refuse or mishandle HEAD: ask again with GET before calling a link broken.
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds, for connecting and for each read
    per_host: int = 2  # requests at once to one host (1 or 2 is polite)
    retries: int = 2  # further attempts after a timeout, a dropped connection or a 5xx/429
    backoff: float = 1.0  # seconds before the first retry, doubling each time
    workers: int = 8  # hosts checked at once

    def __post_init__(self):
        if not 1 <= self.per_host <= 2:
            raise ValueError("per_host must be 1 or 2")


@dataclass
class Result:
    url: str
    ok: bool
    status_code: int | None = None
    final_url: str = ""
    error: str = ""
    blocked: bool = False  # robots.txt asks us not to fetch it: neither checked nor broken
    attempts: int = 0
    methods: list[str] = field(default_factory=list)


def user_agent() -> str:
    return f"{settings.SITE_NAME}-linkcheck/1.0 (+{settings.SITE_URL})"


def check_urls(urls, *, limits: Limits | None = None, session: requests.Session | None = None) -> dict[str, Result]:
    """Check each address once; answers ``{url: Result}``. Requests go only to the hosts of ``urls``
    (and wherever they redirect)."""
    limits = limits or Limits()
    session = session or requests.Session()
    session.headers["User-Agent"] = user_agent()
    session.max_redirects = MAX_REDIRECTS
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        by_host[_origin(url)].append(url)
    robots = _RobotsCache(session, limits)
    lanes = []
    for _origin_key, host_urls in by_host.items():
        # Each lane runs its share of a host's addresses one after another: per_host lanes, so at most
        # per_host requests to that host at once.
        lanes += [
            host_urls[lane :: limits.per_host] for lane in range(limits.per_host) if host_urls[lane :: limits.per_host]
        ]
    results: dict[str, Result] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(limits.workers * limits.per_host, len(lanes) or 1))) as pool:
        for lane_results in pool.map(lambda lane: [_check(url, session, limits, robots) for url in lane], lanes):
            results.update({result.url: result for result in lane_results})
    return results


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _RobotsCache:
    """Each host's robots.txt, fetched once (by whichever lane asks first) and read with urllib.robotparser."""

    def __init__(self, session, limits):
        self.session, self.limits = session, limits
        self.parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.guard = threading.Lock()

    def allowed(self, url: str) -> bool:
        origin = _origin(url)
        with self.guard:
            lock = self.locks[origin]
        with lock:
            if origin not in self.parsers:
                self.parsers[origin] = self._fetch(origin)
        parser = self.parsers[origin]
        return parser is None or parser.can_fetch(self.session.headers["User-Agent"], url)

    def _fetch(self, origin: str):
        try:
            response = self.session.get(f"{origin}/robots.txt", timeout=self.limits.timeout, allow_redirects=True)
        except requests.RequestException:
            return None  # no robots.txt to honour; the link's own check says whether the host answers
        parser = urllib.robotparser.RobotFileParser()
        if response.status_code in (401, 403):
            parser.disallow_all = True  # as urllib.robotparser reads it: the whole site is private
        elif response.status_code >= 400:
            parser.allow_all = True
        else:
            parser.parse(response.text.splitlines())
        response.close()
        return parser


def _check(url: str, session, limits: Limits, robots: _RobotsCache) -> Result:
    result = Result(url=url, ok=False)
    if not robots.allowed(url):
        result.blocked, result.error = True, "robots.txt asks crawlers not to fetch this address"
        return result
    for attempt in range(limits.retries + 1):
        if attempt:
            time.sleep(limits.backoff * 2 ** (attempt - 1))
        result.attempts = attempt + 1
        response, error = _request(session, "HEAD", url, limits, result)
        if error is None and response.status_code >= 400:
            response, error = _request(session, "GET", url, limits, result)
        if error is not None:
            result.status_code, result.final_url, result.error = None, "", error
            continue
        result.status_code, result.final_url = response.status_code, response.url
        result.ok = response.status_code < 400
        result.error = "" if result.ok else f"HTTP {response.status_code}"
        if result.ok or response.status_code not in RETRY_STATUSES:
            break
    return result


def _request(session, method, url, limits, result):
    result.methods.append(method)
    try:
        response = session.request(method, url, timeout=limits.timeout, allow_redirects=True, stream=True)
    except requests.Timeout:
        return None, f"No answer within {limits.timeout:g} seconds"
    except requests.TooManyRedirects:
        return None, f"More than {MAX_REDIRECTS} redirects"
    except requests.RequestException as error:
        return None, f"Could not connect: {type(error).__name__}"
    response.close()  # the status is all we need: never download the body
    return response, None
