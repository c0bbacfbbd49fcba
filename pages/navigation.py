"""The header and footer links: published pages marked for them, read in one query and cached.

The cache holds the marked pages with status published (scheduled ones
too) and their publish and unpublish times; each request keeps those whose
time has come, so a scheduled page joins the navigation at its moment with
nothing to expire. Any save or delete of a page forgets the cached list
(``pages.signals``).

Signed-in requests read the list from the database and never store it: a
preview of unpublished changes renders inside a transaction that is rolled
back, and what it read must not reach readers.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pages.models import Page
from publishing.safe_cache import safe_delete, safe_get, safe_set

CACHE_KEY = "pages:navigation:v1"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class NavLink:
    label: str
    address: str
    header: bool
    footer: bool
    published_at: datetime
    expires_at: datetime | None

    @property
    def url(self) -> str:
        return Page.url_for(self.address)

    def is_live(self, now: datetime) -> bool:
        return self.published_at <= now and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True)
class Navigation:
    header: list[NavLink]
    footer: list[NavLink]


def _marked_pages() -> list[NavLink]:
    rows = (
        Page.objects.published_or_scheduled()
        .filter(Q(show_in_header=True) | Q(show_in_footer=True))
        .order_by("nav_order", "title", "pk")
        .values_list("title", "nav_label", "slug", "show_in_header", "show_in_footer", "published_at", "expires_at")
    )
    return [
        NavLink(nav_label or title, slug, header, footer, published_at, expires_at)
        for title, nav_label, slug, header, footer, published_at, expires_at in rows
    ]


def site_navigation(*, store: bool = True) -> Navigation:
    """The links readers see now; ``store=False`` reads past the cache and leaves it alone."""
    links = safe_get(CACHE_KEY) if store else None
    if links is None:
        links = _marked_pages()
        if store:
            safe_set(CACHE_KEY, links, CACHE_SECONDS)
    now = timezone.now()
    live = [link for link in links if link.is_live(now)]
    return Navigation(header=[link for link in live if link.header], footer=[link for link in live if link.footer])


def forget_navigation() -> None:
    """Drop the cached list now (the writer's next page) and again once the write commits."""
    safe_delete(CACHE_KEY)
    transaction.on_commit(lambda: safe_delete(CACHE_KEY))
