"""Which first path segments the rest of the site already uses, read from the URL resolver.

Pages are served by a catch-all pattern placed last in the URLconf, so a
top-level page whose slug is a segment another app answers under
(``/articles/``, ``/drugs/``, ``/admin/``, ``/sitemap.xml``...) would never be
reached, or would hide that app's pages. The list is derived from the
patterns themselves, so an app added later reserves its addresses without a
hand-kept list here.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, get_urlconf, resolve

PAGES_NAMESPACE = "pages"
# Where a route's literal text stops: a converter, a regex group or class, or a file extension.
_LITERAL_END = re.compile(r"[<(\[.\\^$?*+{|]")


def address_space_clash(segment: str) -> str | None:
    """What already answers at ``/<segment>/`` and below, or None when a top-level page may take it."""
    segment = segment.lower()
    taken = reserved_segments(get_urlconf() or settings.ROOT_URLCONF)
    if segment in taken:
        return taken[segment]
    for candidate in (f"/{segment}/", f"/{segment}/x/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if match.namespace != PAGES_NAMESPACE:
            return f"used by {match.view_name or 'another part of the site'}"
    return None


@lru_cache(maxsize=4)
def reserved_segments(urlconf: str) -> dict[str, str]:
    """First path segments of every route outside the pages app, each with a word on what uses it."""
    taken: dict[str, str] = {}
    for route, owner in _routes(get_resolver(urlconf).url_patterns, ""):
        route = route.lstrip("^")
        first = route.split("/", 1)[0]
        literal = _LITERAL_END.split(first, 1)[0].rstrip("-_")
        if not literal:
            continue  # starts with a converter: only the catch-all does, and resolve() checks the rest
        taken.setdefault(literal.lower(), f"used by {owner}")
    for setting in ("STATIC_URL", "MEDIA_URL"):
        prefix = (getattr(settings, setting, "") or "").strip("/").split("/", 1)[0]
        if prefix and "://" not in (getattr(settings, setting, "") or ""):
            taken.setdefault(prefix.lower(), f"{setting.split('_')[0].lower()} files")
    return taken


def _routes(patterns, prefix: str):
    """(route text, owner) for each pattern, descending into includes that add no prefix of their own."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            if pattern.namespace == PAGES_NAMESPACE:
                continue
            if route.strip("/") == "":
                yield from _routes(pattern.url_patterns, route)
            else:
                yield route, f"the {pattern.namespace or pattern.app_name or route.split('/', 1)[0]} pages"
        elif isinstance(pattern, URLPattern) and route:
            yield route, f"the {pattern.name or route} page"
