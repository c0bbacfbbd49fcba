"""The header and footer links: published pages marked for them, read in one query and kept by each process.

The kept list holds the marked pages with status published (scheduled ones
too) and their publish and unpublish times; each request keeps those whose
time has come, so a scheduled page joins the navigation at its moment with
nothing to expire. Any save or delete of a page has every process read the
list again (``pages.signals``, ``publishing.shared_memo``).

Signed-in requests read the list from the database and never keep it: a
preview of unpublished changes renders inside a transaction that is rolled
back, and what it read must not reach readers.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from pages.models import Page
from publishing.shared_memo import SharedMemo


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


_kept_links = SharedMemo(_marked_pages)


def site_navigation(*, store: bool = True) -> Navigation:
    """The links readers see now; ``store=False`` reads them from the database and leaves the kept list alone."""
    links = _kept_links.get() if store else _marked_pages()
    now = timezone.now()
    live = [link for link in links if link.is_live(now)]
    return Navigation(header=[link for link in live if link.header], footer=[link for link in live if link.footer])


def forget_navigation() -> None:
    """Have every process read the list again: now (the writer's next page) and once the write commits."""
    _kept_links.forget()
