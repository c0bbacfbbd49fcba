"""The editors' dashboard on the admin home: what needs each user now, over every publishable type.

Each panel shows at most ``PANEL_ROWS`` pages and a count per type with a
link to that type's admin list, filtered the same way. Per panel and type
there is one query for the count and, when something was counted, one for
the rows, so the home page costs the same at a hundred pages or a hundred
thousand. Counts stop at ``COUNT_CAP`` (shown as "1,000+"): the review-due
panel has no index to count with, and a capped count reads at most that many
matching rows.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status, review_due_order
from publishing.registry import publishable_models
from workflow import roles
from workflow.models import PendingChange, PendingState, Transition, TransitionKind
from workflow.selectors import needs_review

PANEL_ROWS = 10
COUNT_CAP = 1000
RECENT_DAYS = 7
# A signed-off page, as ``services.is_signed_off`` says (the database keeps the reviewer from being the author).
SIGNED_OFF = Q(reviewed_by__isnull=False, last_reviewed__isnull=False)


@dataclass(frozen=True)
class DashboardRow:
    title: str
    kind: str
    state: str
    who: str
    when: datetime.datetime | datetime.date | None
    admin_url: str


@dataclass(frozen=True)
class ListLink:
    """One type's share of a panel's count, linking to its filtered admin list (if it has its own)."""

    label: str
    count: int
    url: str = ""
    capped: bool = False


@dataclass(frozen=True)
class Panel:
    slug: str
    title: str
    who_label: str
    when_label: str
    empty: str
    rows: list[DashboardRow] = field(default_factory=list)
    links: list[ListLink] = field(default_factory=list)
    count: int = 0
    capped: bool = False
    # One list for the whole panel, when the admin has one across types (the medical review queue).
    all_url: str = ""
    when_format: str = "j M Y, H:i"
    no_when: str = "—"


@dataclass(frozen=True)
class Ask:
    """What a panel asks of one type: its rows, their order, and the matching admin list filter."""

    model: type[Model]
    queryset: QuerySet
    order: tuple
    list_params: dict[str, str] | None
    who_field: str | None = "author"
    when_field: str = "updated_at"


def pending_changes_waiting_for(user) -> list[DashboardRow]:
    """Changes to published pages waiting for ``user``: to sign off (reviewers) or to publish (publishers).

    One query for the changes and one per content type for their pages, at most ``PANEL_ROWS`` each.
    """
    changes = list(
        PendingChange.objects.filter(state=PendingState.IN_REVIEW)
        .select_related("created_by")
        .order_by("updated_at")[: PANEL_ROWS * 5]
    )
    pages = _pages_of(changes)
    rows = []
    for change in changes:
        page = pages.get((change.content_type_id, change.object_id))
        if page is None or not _waits_for(user, change, page):
            continue
        opts = page._meta
        rows.append(
            DashboardRow(
                title=getattr(page, page.title_field),
                kind=opts.verbose_name.capitalize(),
                state="Changes waiting for review" if not change.is_signed_off else "Changes signed off",
                who=_name(change.created_by),
                when=change.updated_at,
                admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_changes", args=[page.pk]),
            )
        )
    return rows[:PANEL_ROWS]


def _pages_of(changes) -> dict:
    pages = {}
    for content_type_id in {change.content_type_id for change in changes}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [change.object_id for change in changes if change.content_type_id == content_type_id]
        for page in model._base_manager.filter(pk__in=ids).only("pk", "author_id", model.title_field):
            pages[(content_type_id, page.pk)] = page
    return pages


def _waits_for(user, change, page) -> bool:
    if roles.can_publish(user, page) and (change.is_signed_off or not change.clinical):
        return True
    return (
        roles.can_review(user, page)
        and change.clinical
        and not change.is_signed_off
        and user.pk not in {change.created_by_id, page.author_id}
    )


def dashboard_panels(user, now: datetime.datetime | None = None) -> list[Panel]:
    """The panels ``user`` sees, in page order; types they may not view are left out."""
    now = now or timezone.now()
    models = [model for model in publishable_models() if user.has_perm(_perm(model, "view"))]
    if not models:
        return []
    panels = []
    if any(user.has_perm(_perm(model, "add")) for model in models):
        panels.append(my_drafts(user, models))
    if any(roles.can_review(user, model) or roles.can_publish(user, model) for model in models):
        panels.append(waiting_for_review(user, models))
    panels += [scheduled(models, now), review_due(models, now), recently_published(models, now)]
    return panels


# --- Panels ---------------------------------------------------------------------------------------


def my_drafts(user, models) -> Panel:
    asks = [
        Ask(
            model,
            model._default_manager.filter(author=user, status=Status.DRAFT),
            ("-updated_at", "-pk"),
            {"status__exact": Status.DRAFT, "author__id__exact": str(user.pk)},
            who_field=None,
        )
        for model in models
    ]
    panel = Panel("my-drafts", "My drafts", "Sent back by", "Updated", "You have no drafts.")
    return _fill(panel, asks, newest_first=True, mark=_mark_sent_back)


def waiting_for_review(user, models) -> Panel:
    """Pages in review that ``user`` may review (never their own) or, as a publisher, publish once signed off."""
    asks = []
    for model in models:
        wanted, params = _waiting_filter(user, model)
        if wanted is not None:
            asks.append(Ask(model, model._default_manager.filter(wanted), ("updated_at", "pk"), params))
    panel = Panel("waiting", "Waiting for my review", "Author", "Updated", "Nothing is waiting for you.")
    return _fill(panel, asks, newest_first=False, extra_rows=pending_changes_waiting_for(user))


def scheduled(models, now) -> Panel:
    asks = [
        Ask(
            model,
            model._default_manager.filter(status=Status.PUBLISHED, published_at__gt=now),
            ("published_at", "pk"),
            {"status__exact": Status.PUBLISHED, "published_at__gt": now.isoformat()},
            when_field="published_at",
        )
        for model in models
    ]
    panel = Panel("scheduled", "Scheduled", "Author", "Goes live", "Nothing is scheduled.")
    return _fill(panel, asks, newest_first=False)


def review_due(models, now) -> Panel:
    """Published or in-progress pages whose medical review is overdue, due soon, or (published) never done."""
    today = timezone.localdate(now)
    asks = [
        Ask(
            model,
            model._default_manager.filter(needs_review(today)),
            (review_due_order(), "pk"),
            None,
            who_field="reviewed_by",
            when_field="next_review_due",
        )
        for model in models
    ]
    panel = Panel(
        "review-due",
        "Review overdue or due soon",
        "Reviewed by",
        "Review due",
        "No review is due soon.",
        all_url=reverse("review-queue"),
        when_format="j M Y",
        no_when="Never reviewed",
    )
    return _fill(panel, asks, newest_first=False)


def recently_published(models, now) -> Panel:
    since = now - datetime.timedelta(days=RECENT_DAYS)
    asks = [
        Ask(
            model,
            model._default_manager.filter(status=Status.PUBLISHED, published_at__gte=since, published_at__lte=now),
            ("-published_at", "-pk"),
            {
                "status__exact": Status.PUBLISHED,
                "published_at__gte": since.isoformat(),
                "published_at__lte": now.isoformat(),
            },
            when_field="published_at",
        )
        for model in models
    ]
    title = f"Recently published (last {RECENT_DAYS} days)"
    panel = Panel("recent", title, "Author", "Published", "Nothing was published in the last week.")
    return _fill(panel, asks, newest_first=True)


# --- Building blocks ------------------------------------------------------------------------------


def _waiting_filter(user, model) -> tuple[Q | None, dict[str, str]]:
    in_review = Q(status=Status.IN_REVIEW)
    wanted, params = None, {}
    if roles.can_publish(user, model):
        wanted = in_review & SIGNED_OFF
        params = {"status__exact": Status.IN_REVIEW, "reviewed_by__isnull": "False", "last_reviewed__isnull": "False"}
    if roles.can_review(user, model):
        yours = in_review & ~Q(author=user)
        wanted = yours if wanted is None else wanted | yours
        params = {"status__exact": Status.IN_REVIEW}
    return wanted, params


def _fill(
    panel: Panel,
    asks: list[Ask],
    *,
    newest_first: bool,
    extra_rows: list[DashboardRow] = (),
    mark: Callable | None = None,
) -> Panel:
    rows, links, capped = list(extra_rows), [], False
    for ask in asks:
        count = _capped_count(ask.queryset)
        if not count:
            continue
        capped = capped or count > COUNT_CAP
        links.append(ListLink(_plural(ask.model), min(count, COUNT_CAP), _changelist_url(ask), count > COUNT_CAP))
        rows += _rows(ask, mark)
    rows.sort(key=_sort_key, reverse=newest_first)
    count = len(extra_rows) + sum(link.count for link in links)
    return replace(panel, rows=rows[:PANEL_ROWS], links=links, count=count, capped=capped)


def _capped_count(queryset: QuerySet) -> int:
    """How many rows match, stopping at one past ``COUNT_CAP``: ``COUNT(*)`` over a ``LIMIT`` subquery."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def _rows(ask: Ask, mark: Callable | None) -> list[DashboardRow]:
    queryset, who = ask.queryset, ask.who_field
    fields = ["pk", ask.model.title_field, "status", "published_at", "expires_at", ask.when_field]
    if who:
        queryset = queryset.select_related(who)
        fields += [f"{who}__username", f"{who}__first_name", f"{who}__last_name"]
    objects = list(queryset.only(*fields).order_by(*ask.order)[:PANEL_ROWS])
    marks = mark(ask.model, objects) if mark and objects else {}
    return [_row(ask, obj, marks.get(obj.pk)) for obj in objects]


def _row(ask: Ask, obj, mark: tuple[str, str] | None) -> DashboardRow:
    opts = obj._meta
    state, who = mark or (obj.state_label, _name(getattr(obj, ask.who_field)) if ask.who_field else "")
    return DashboardRow(
        title=getattr(obj, obj.title_field),
        kind=opts.verbose_name.capitalize(),
        state=state,
        who=who,
        when=getattr(obj, ask.when_field),
        admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    )


def _mark_sent_back(model, objects) -> dict[int, tuple[str, str]]:
    """For drafts whose last move was back from review: ("Sent back", who sent it). One query."""
    moves = (
        Transition.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[obj.pk for obj in objects],
            kind=TransitionKind.STATE,
        )
        .select_related("by")
        .order_by("object_id", "-at", "-pk")
    )
    latest = {}
    for move in moves:
        latest.setdefault(move.object_id, move)
    return {
        pk: ("Sent back", _name(move.by))
        for pk, move in latest.items()
        if move.from_status == Status.IN_REVIEW and move.to_status == Status.DRAFT
    }


def _sort_key(row: DashboardRow):
    """By time, pages without one (never reviewed) before the rest."""
    return (row.when is not None, row.when)


def _changelist_url(ask: Ask) -> str:
    if ask.list_params is None:
        return ""
    opts = ask.model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{urlencode(ask.list_params)}"


def _plural(model) -> str:
    return str(model._meta.verbose_name_plural).capitalize()


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"
