"""Read-only queries of the workflow: the medical review queue."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from linkcheck.selectors import pages_with_long_broken_references
from publishing.models import Status, review_due_order
from publishing.registry import publishable_models
from workflow.models import PendingChange, PendingState
from workflow.readability import reading_age_subquery

DUE_SOON_DAYS = 30
WAITING_LIMIT = 200
QUEUE_LIMIT = 500  # per content type: the most overdue first; the page says when there are more
SORTS = {"due": "next review due", "reading-age": "reading age, hardest first"}


def by_reading_age(row) -> tuple:
    """Hardest to read first; pages never measured last."""
    return (row.reading_age is None, -(row.reading_age or 0), row.title.casefold())


@dataclass(frozen=True)
class WaitingRow:
    kind: str
    title: str
    what: str  # "New page" or "Changes to a published page"
    by: str
    since: datetime.datetime
    admin_url: str
    reading_age: float | None = None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def waiting_for_review(limit: int = WAITING_LIMIT, sort: str = "due") -> list[WaitingRow]:
    """Pages submitted for medical review, and changes to published pages submitted, oldest first.

    One query per content type plus one for the changes: bounded by ``limit`` each. ``sort="reading-age"``
    puts the hardest to read first (the stored reading age, read in the same query).
    """
    rows = []
    for model in publishable_models():
        opts = model._meta
        url_name = f"admin:{opts.app_label}_{opts.model_name}_change"
        title_field = model.title_field
        waiting = (
            model._default_manager.filter(status=Status.IN_REVIEW)
            .annotate(reading_age=reading_age_subquery(model))
            .select_related("author")
            .only("pk", title_field, "updated_at", "author__username", "author__first_name", "author__last_name")
            .order_by("updated_at")[:limit]
        )
        for obj in waiting:
            rows.append(
                WaitingRow(
                    kind=opts.verbose_name.capitalize(),
                    title=getattr(obj, title_field),
                    what="New page",
                    by=_name(obj.author),
                    since=obj.updated_at,
                    admin_url=reverse(url_name, args=[obj.pk]),
                    reading_age=obj.reading_age,
                )
            )
    rows = sorted(rows + _changes_waiting(limit), key=lambda row: row.since)[:limit]
    return sorted(rows, key=by_reading_age) if sort == "reading-age" else rows


def _changes_waiting(limit: int) -> list[WaitingRow]:
    changes = list(
        PendingChange.objects.filter(state=PendingState.IN_REVIEW)
        .select_related("created_by")
        .order_by("updated_at")[:limit]
    )
    titles = {}
    for content_type_id in {change.content_type_id for change in changes}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [change.object_id for change in changes if change.content_type_id == content_type_id]
        for pk, title in model._base_manager.filter(pk__in=ids).values_list("pk", model.title_field):
            titles[(content_type_id, pk)] = (model, title)
    rows = []
    for change in changes:
        model, title = titles.get((change.content_type_id, change.object_id), (None, None))
        if model is None:
            continue
        opts = model._meta
        rows.append(
            WaitingRow(
                kind=opts.verbose_name.capitalize(),
                title=title,
                what="Changes to a published page",
                by=_name(change.created_by),
                since=change.updated_at,
                admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_changes", args=[change.object_id]),
            )
        )
    return rows


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
    reason: str = ""  # why it is here besides its due date: "Reference broken since ..."
    reading_age: float | None = None


def needs_review(today: datetime.date | None = None) -> Q:
    """Content due for review: overdue, due within 30 days, or published and never reviewed."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    never = Q(next_review_due__isnull=True, status=Status.PUBLISHED)
    return (Q(next_review_due__lte=soon) | never) & ~Q(status=Status.UNPUBLISHED)


def review_queue(today: datetime.date | None = None, sort: str = "due") -> list[QueueRow]:
    """Publishable pages due for review, never reviewed and most overdue first (one query per content type).

    At most ``QUEUE_LIMIT`` of each type, read off the review-due index. Each row carries its stored reading
    age (a subquery of the same query); ``sort="reading-age"`` puts the hardest to read first.
    """
    today = today or timezone.localdate()
    rows = []
    ContentType.objects.get_for_models(*publishable_models())  # one query in a fresh process, not one per type
    for model in publishable_models():
        opts = model._meta
        url_name = f"admin:{opts.app_label}_{opts.model_name}_change"
        title_field = model.title_field
        due = model._default_manager.filter(needs_review(today))
        # A reference broken for longer than LINKCHECK_BROKEN_DAYS needs a reviewer whatever the due date.
        broken = pages_with_long_broken_references(model)
        if broken:
            due = model._default_manager.filter(needs_review(today) | Q(pk__in=list(broken)))
        due = due.annotate(reading_age=reading_age_subquery(model)).order_by(review_due_order(), "id")
        for obj in due.select_related("reviewed_by").only(
            "pk", title_field, "status", "published_at", "expires_at", "reviewed_by__username",
            "reviewed_by__first_name", "reviewed_by__last_name", "last_reviewed", "next_review_due",
        )[:QUEUE_LIMIT]:  # fmt: skip
            rows.append(
                QueueRow(
                    kind=opts.verbose_name.capitalize(),
                    title=getattr(obj, title_field),
                    status=obj.state_label,
                    reviewed_by=(obj.reviewed_by.get_full_name() or obj.reviewed_by.get_username())
                    if obj.reviewed_by
                    else "",
                    last_reviewed=obj.last_reviewed,
                    next_review_due=obj.next_review_due,
                    overdue=obj.next_review_due is None or obj.next_review_due < today,
                    admin_url=reverse(url_name, args=[obj.pk]),
                    reason=f"Reference broken since {broken[obj.pk]:%-d %b %Y}" if obj.pk in broken else "",
                    reading_age=obj.reading_age,
                )
            )
    if sort == "reading-age":
        return sorted(rows, key=by_reading_age)
    return sorted(rows, key=lambda row: (row.next_review_due or datetime.date.min, row.title.casefold()))
