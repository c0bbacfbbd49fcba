"""Addresses of the pages named by a slug, without a full ``reverse()`` per link.

A listing page links every card to its article, category and tags: about 130
addresses, and Django's ``reverse()`` walks the URL patterns again for each
(about 17 µs, 2 ms of a 20-card page). Here each view's address is reversed
once per script prefix with a placeholder slug, and a slug is put in its place.
A slug the ``<slug:...>`` converter would refuse goes through ``reverse()``,
which raises as it always did.
"""

import re
from functools import cache

from django.urls import get_script_prefix, reverse

PLACEHOLDER = "slug-placeholder"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's slug path converter; such slugs need no quoting


@cache
def _around_slug(view_name: str, script_prefix: str) -> tuple[str, str]:
    address = reverse(view_name, kwargs={"slug": PLACEHOLDER})
    before, _, after = address.partition(PLACEHOLDER)
    return before, after


def slug_url(view_name: str, slug: str) -> str:
    """The same as ``reverse(view_name, kwargs={"slug": slug})``."""
    if not SLUG.fullmatch(slug):
        return reverse(view_name, kwargs={"slug": slug})
    before, after = _around_slug(view_name, get_script_prefix())
    return before + slug + after


def slug_url_maker(view_name: str):
    """``slug_url`` for one view, with the script prefix looked up once: for a loop over many slugs."""
    before, after = _around_slug(view_name, get_script_prefix())

    def url(slug: str) -> str:
        return before + slug + after if SLUG.fullmatch(slug) else reverse(view_name, kwargs={"slug": slug})

    return url
