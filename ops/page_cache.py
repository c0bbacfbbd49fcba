"""A page cache for anonymous readers, invalidated precisely.

Only anonymous GET and HEAD requests for public pages are served from or
stored in the cache: a request carrying a session cookie (staff, anyone
logged in) always reaches the view, as does anything under /admin/, and a
response that sets a cookie or is marked private or no-store is never
stored. Entries are keyed by scheme, host, path and sorted query string.

Each entry records the version of every dependency it rendered (see
``ops.dependencies`` and ``ops.versions``); it is served only while all are
unchanged and until the next scheduled publish time, so editors' writes and
scheduled articles show at once with no cron job. The headers it sends let a
CDN or nginx keep the page briefly (``s-maxage`` plus
``stale-while-revalidate``) while browsers revalidate with the ETag.

The middleware is the outermost one, so a hit skips the rest of the stack:
an entry keeps the headers the full stack gave its page (the security
policy, frame and referrer rules), and answers conditional requests itself.
Those headers come from settings, so the key includes a fingerprint of the
settings that shape them: after a deploy that changes the policy, pages
stored under the old one are never served.
"""

import hashlib
import time
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from ops import generation, schedule
from ops.dependencies import page_dependencies
from ops.versions import ALL_CONTENT, SITE, RenderStart, current_versions, render_start, still_current
from publishing.recent import RecentEntries
from publishing.safe_cache import safe_get, safe_set

EXCLUDED_PREFIXES = ("/admin/", "/healthz")
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid")
SKIPPED_HEADERS = {"set-cookie", "date", "x-page-cache"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
# Settings that decide the headers a stored page is served with.
HEADER_SETTINGS = (
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)
_header_fingerprint: str | None = None


def header_fingerprint() -> str:
    """A short hash of the header settings, computed once per process (and again when a setting changes)."""
    global _header_fingerprint
    if _header_fingerprint is None:
        values = repr([(name, getattr(settings, name, None)) for name in HEADER_SETTINGS])
        _header_fingerprint = hashlib.sha256(values.encode()).hexdigest()[:12]
    return _header_fingerprint


@receiver(setting_changed)
def _forget_header_fingerprint(**kwargs):
    global _header_fingerprint
    _header_fingerprint = None


def page_key(request) -> str:
    """Scheme, host, path and the query string sorted, without tracking parameters, plus the header fingerprint."""
    pairs = sorted(
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if not name.startswith(TRACKING_PARAMETERS)
    )
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(pairs)}"
    return f"page:{header_fingerprint()}:" + hashlib.sha256(address.encode()).hexdigest()


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    excluded = (*EXCLUDED_PREFIXES, "/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))
    return not request.path.startswith(excluded)


def is_cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def is_current(entry: dict) -> bool:
    """Not expired, of the current cache generation, and no dependency bumped since it was stored."""
    if entry["valid_until"] <= time.time():
        return False
    known = generation.current()
    if known is not None and entry.get("generation") != known:
        return False
    return still_current(entry["versions"])


# This process's copies of the pages it served last: about 25 kB a page, so a few megabytes per process.
recent_entries: RecentEntries[dict] = RecentEntries(size=200)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)  # a signed-in page is never for a shared cache
            return response
        key = page_key(request)
        entry = self._current_entry(key)
        if entry is not None:
            return self._response_from(request, entry)
        started = render_start()
        response = self.get_response(request)
        if not is_cacheable_response(request, response):
            return response
        entry = self._store(key, response, started)
        if entry is None:
            return response
        self._add_cache_headers(response, entry)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _current_entry(key: str) -> dict | None:
        """The stored page for ``key`` if it is still current, trying this process's recent copy first.

        A recent copy saves fetching and unpickling the page; whichever copy is
        used, its versions are checked against the shared cache, so no process
        serves a page an edit has made stale.
        """
        entry = recent_entries.get(key)
        if entry is not None and is_current(entry):
            return entry
        entry = safe_get(key)
        if entry is not None and is_current(entry):
            recent_entries.remember(key, entry)
            return entry
        return None

    def process_template_response(self, request, response):
        # Read what the page showed once the template has evaluated its querysets.
        if is_cacheable_request(request):
            view_name = request.resolver_match.view_name if request.resolver_match else None
            response.add_post_render_callback(
                lambda rendered: setattr(
                    rendered, "page_dependencies", page_dependencies(view_name, rendered.context_data)
                )
            )
        return response

    def _store(self, key: str, response, started: RenderStart) -> dict | None:
        """File the page under the versions it was rendered against, unless a write committed meanwhile."""
        dependencies = getattr(response, "page_dependencies", None) or {SITE, ALL_CONTENT}
        versions = current_versions(dependencies, since=started)
        if versions is None:  # cache down, or a write during the render: serve this one uncached
            return None
        now = time.time()
        valid_until = now + settings.PAGE_CACHE_SECONDS
        next_publish: datetime | None = schedule.next_publish_time()
        if next_publish is not None:
            valid_until = min(valid_until, next_publish.timestamp())
        entry = {
            "content": response.content,
            "headers": {name: value for name, value in response.items() if name.lower() not in SKIPPED_HEADERS},
            "etag": '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"',
            "stored_at": now,
            "valid_until": valid_until,
            "versions": versions,
            "generation": started.generation,
        }
        safe_set(key, entry, timeout=max(1, valid_until - now))
        return entry

    def _response_from(self, request, entry: dict) -> HttpResponse:
        response = HttpResponse(entry["content"], headers=entry["headers"])
        self._add_cache_headers(response, entry)
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=int(entry["stored_at"]), response=response
        )

    @staticmethod
    def _add_cache_headers(response, entry: dict) -> None:
        shared_seconds = int(max(0, min(settings.PAGE_CACHE_SHARED_SECONDS, entry["valid_until"] - time.time())))
        response["Cache-Control"] = (
            f"public, max-age=0, s-maxage={shared_seconds}, stale-while-revalidate={shared_seconds}"
        )
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["stored_at"])
