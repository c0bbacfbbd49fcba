"""Compact cells for content lists in the admin, so a list with its filters fits a 1280 px screen.

Each returns safe HTML for an ``@admin.display`` column of any publishable
type: a main line and, where it helps, a smaller second line.
"""

import datetime

from django.utils import timezone
from django.utils.html import format_html


def short_date(value) -> str:
    """ "3 Mar" this year, "3 Mar 2027" otherwise; a time is read in the site's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    today = timezone.localdate()
    return f"{value:%-d %b}" if value.year == today.year else f"{value:%-d %b %Y}"


def short_month(value) -> str:
    """ "3 Mar" this year, "Mar 2027" later: enough for a review months or years away."""
    if value.year == timezone.localdate().year:
        return f"{value:%-d %b}"
    return f"{value:%b %Y}"


def two_lines(main, sub="", css=""):
    if not sub:
        return format_html('<span class="list-cell {}">{}</span>', css, main)
    return format_html('<span class="list-cell {}">{}</span><span class="list-cell__sub">{}</span>', css, main, sub)


def state_cell(obj):
    """The state editors read ("Scheduled", "In review") over its publish time, or that changes wait for review.

    ``has_open_change`` is annotated on the admin's list queryset (no query per row).
    """
    if getattr(obj, "has_open_change", False):
        return two_lines(obj.state_label, "changes waiting", css="list-cell--pending")
    if getattr(obj, "is_scheduled", False):
        return two_lines(
            obj.state_label, f"{short_date(obj.published_at)} {timezone.localtime(obj.published_at):%H:%M}"
        )
    return two_lines(obj.state_label, short_date(obj.published_at))


def review_cell(obj):
    """When the next medical review is due; overdue stands out; never reviewed says so."""
    due = obj.next_review_due
    if due is None:
        return two_lines("Never", css="list-cell--muted")
    if due < timezone.localdate():
        return two_lines("Overdue since", short_date(due), css="list-cell--overdue")
    last = f"last {short_date(obj.last_reviewed)}" if obj.last_reviewed else ""
    return two_lines(f"Due {short_month(due)}", last)


def names_cell(names: list[str], *, shown: int = 2):
    """The first few names, then how many more: "Imuran, Azasan +3"."""
    if not names:
        return ""
    more = len(names) - shown
    text = ", ".join(names[:shown])
    return format_html('{} <span class="list-cell__more">+{}</span>', text, more) if more > 0 else text
