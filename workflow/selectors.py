"""Read-only queries of the workflow: the medical review queue."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status
from publishing.registry import publishable_models

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class QueueRow:
    kind: str
    title: str
    status: str
    reviewed_by: str
    last_reviewed: datetime.date | None
    next_review_due: datetime.date | None
    overdue: bool
    admin_url: str


def needs_review(today: datetime.date | None = None) -> Q:
    """Content due for review: overdue, due within 30 days, or published and never reviewed."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    never = Q(next_review_due__isnull=True, status=Status.PUBLISHED)
    return (Q(next_review_due__lte=soon) | never) & ~Q(status=Status.UNPUBLISHED)


def review_queue(today: datetime.date | None = None) -> list[QueueRow]:
    """Every publishable page due for review, most overdue first (one query per content type)."""
    today = today or timezone.localdate()
    rows = []
    for model in publishable_models():
        opts = model._meta
        url_name = f"admin:{opts.app_label}_{opts.model_name}_change"
        title_field = model.title_field
        for obj in model._default_manager.filter(needs_review(today)).select_related("reviewed_by").only(
            "pk", title_field, "status", "reviewed_by__username", "reviewed_by__first_name",
            "reviewed_by__last_name", "last_reviewed", "next_review_due",
        ):  # fmt: skip
            rows.append(
                QueueRow(
                    kind=opts.verbose_name.capitalize(),
                    title=getattr(obj, title_field),
                    status=obj.get_status_display(),
                    reviewed_by=(obj.reviewed_by.get_full_name() or obj.reviewed_by.get_username())
                    if obj.reviewed_by
                    else "",
                    last_reviewed=obj.last_reviewed,
                    next_review_due=obj.next_review_due,
                    overdue=obj.next_review_due is None or obj.next_review_due < today,
                    admin_url=reverse(url_name, args=[obj.pk]),
                )
            )
    return sorted(rows, key=lambda row: (row.next_review_due or datetime.date.min, row.title.casefold()))
