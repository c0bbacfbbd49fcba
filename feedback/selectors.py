"""What editors see of reader feedback: a page's summary and weekly trend, and the pages readers flag."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from workflow.queue_flags import FlagRow

TREND_WEEKS = 8
LATEST_COMMENTS = 10
FLAG_LIMIT = 200


@dataclass(frozen=True)
class Week:
    starts: datetime.date
    yes: int
    no: int

    @property
    def no_percent(self) -> int | None:
        return round(100 * self.no / (self.yes + self.no)) if self.yes + self.no else None


@dataclass(frozen=True)
class Summary:
    yes: int
    no: int
    weeks: list[Week]
    comments: list[Feedback]
    list_url: str

    @property
    def total(self) -> int:
        return self.yes + self.no

    @property
    def helpful_percent(self) -> int | None:
        return round(100 * self.yes / self.total) if self.total else None


def page_summary(page, *, today: datetime.date | None = None) -> Summary:
    """Counts, the last ``TREND_WEEKS`` weeks (Monday to Sunday, empty weeks included) and the latest comments."""
    content_type = ContentType.objects.get_for_model(page)
    answers = Feedback.objects.filter(content_type=content_type, object_id=page.pk)
    totals = answers.aggregate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    today = today or timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    first_monday = this_monday - datetime.timedelta(weeks=TREND_WEEKS - 1)
    since = timezone.make_aware(datetime.datetime.combine(first_monday, datetime.time()))
    by_week = {
        row["week"].date() if isinstance(row["week"], datetime.datetime) else row["week"]: row
        for row in answers.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
        .order_by()
    }
    weeks = []
    for n in range(TREND_WEEKS):
        monday = first_monday + datetime.timedelta(weeks=n)
        row = by_week.get(monday, {})
        weeks.append(Week(starts=monday, yes=row.get("yes", 0), no=row.get("no", 0)))
    comments = list(answers.exclude(comment="")[:LATEST_COMMENTS])
    list_url = (
        reverse("admin:feedback_feedback_changelist")
        + f"?content_type__id__exact={content_type.pk}&object_id={page.pk}"
    )
    return Summary(yes=totals["yes"], no=totals["no"], weeks=weeks, comments=comments, list_url=list_url)


def pages_flagged_by_readers() -> list[FlagRow]:
    """Pages with ``FEEDBACK_FLAG_MIN_VOTES`` answers in ``FEEDBACK_FLAG_DAYS``, a ``FEEDBACK_FLAG_NO_SHARE`` "No".

    One grouped query, then one per content type for the titles.
    """
    since = timezone.now() - datetime.timedelta(days=settings.FEEDBACK_FLAG_DAYS)
    groups = list(
        Feedback.objects.filter(created_at__gte=since)
        .values("content_type_id", "object_id")
        .annotate(total=Count("pk"), no=Count("pk", filter=Q(helpful=False)))
        .filter(total__gte=settings.FEEDBACK_FLAG_MIN_VOTES, no__gte=F("total") * settings.FEEDBACK_FLAG_NO_SHARE)
        .order_by("-no", "content_type_id", "object_id")[:FLAG_LIMIT]
    )
    titles = {}
    for content_type_id in {group["content_type_id"] for group in groups}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [group["object_id"] for group in groups if group["content_type_id"] == content_type_id]
        for pk, title in model._base_manager.filter(pk__in=ids).values_list("pk", model.title_field):
            titles[(content_type_id, pk)] = (model, title)
    rows = []
    for group in groups:
        model, title = titles.get((group["content_type_id"], group["object_id"]), (None, None))
        if model is None:
            continue
        opts = model._meta
        rows.append(
            FlagRow(
                kind=opts.verbose_name.capitalize(),
                title=title,
                reason=(
                    f"Readers: {group['no']} of {group['total']} answers in the last "
                    f"{settings.FEEDBACK_FLAG_DAYS} days say it was not helpful."
                ),
                admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[group["object_id"]]),
            )
        )
    return rows
