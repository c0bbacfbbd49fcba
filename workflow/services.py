"""Workflow moves that span several models: state changes, reviews, edit locks, slugs.

Each service is keyword-only, typed and transactional (STYLE.md). They check
roles themselves, so the admin's forms, bulk actions and a crafted POST all
meet the same rules.
"""

import calendar
import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from publishing.models import Status
from workflow import roles
from workflow.models import EditVersion, ReviewerProfile, SlugRedirect, Transition, TransitionKind

DEFAULT_REVIEW_INTERVAL_MONTHS = 36  # three years, as the NHS does


class EditConflict(Exception):
    """Someone else saved the content after this editor opened it."""


def review_interval_months() -> int:
    return getattr(settings, "MEDICAL_REVIEW_INTERVAL_MONTHS", DEFAULT_REVIEW_INTERVAL_MONTHS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months, clamped to the month's end (29 Feb + 12 months is 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- States -------------------------------------------------------------------------------------


def prepare_state(*, obj: Model, from_status: str, publish_at: datetime.datetime | None = None) -> None:
    """Set the fields a new state implies, before ``obj`` is saved.

    Publishing without a time publishes now (``save()`` fills it). Unpublishing
    content whose publish time had not come clears that time: it was never
    public, so it answers 404 rather than 410 and gets no redirect.
    """
    if obj.status == Status.PUBLISHED:
        if publish_at is not None:
            obj.published_at = publish_at
    elif from_status == Status.PUBLISHED and obj.published_at and obj.published_at > timezone.now():
        obj.published_at = None


SIGN_OFF_MESSAGE = (
    "A medical reviewer must sign this page off before it is published: "
    "use \u201cMark medically reviewed\u201d (the reviewer is never the author)."
)


def is_signed_off(obj: Model) -> bool:
    """Two people sign off every clinical page: the author, then a medical reviewer."""
    return review_signs_off(reviewer_id=obj.reviewed_by_id, reviewed_on=obj.last_reviewed, author_id=obj.author_id)


def review_signs_off(*, reviewer_id, reviewed_on, author_id) -> bool:
    return reviewer_id is not None and reviewed_on is not None and reviewer_id != author_id


def transition_record(
    *,
    obj: Model,
    from_status: str,
    by,
    comment: str = "",
    kind: str = TransitionKind.STATE,
    references_checked: bool | None = None,
) -> Transition:
    """Write the log line for a move that has just been saved."""
    return Transition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        from_status=from_status or "",
        to_status=obj.status,
        by=by,
        publish_at=obj.published_at if obj.status == Status.PUBLISHED else None,
        comment=comment[:500],
        references_checked=references_checked,
    )


@transaction.atomic
def content_transition(
    *, obj: Model, to_status: str, by, comment: str = "", publish_at: datetime.datetime | None = None
) -> Transition:
    """Move an article or drug page to ``to_status`` if ``by``'s role allows it, and log the move.

    ``publish_at`` in the future schedules the publication: readers see the
    page from then on, with no job to run at that moment.
    """
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    from_status = locked.status
    if to_status not in Status.values:
        raise ValidationError(f"Unknown state {to_status!r}.")
    if to_status == from_status and publish_at is None:
        raise ValidationError(f"This is already {Status(to_status).label.lower()}.")
    if not roles.may_move(by, locked, from_status, to_status):
        raise PermissionDenied(f"You may not move this from {Status(from_status).label} to {Status(to_status).label}.")
    if to_status == Status.PUBLISHED and from_status != Status.PUBLISHED and not is_signed_off(locked):
        raise ValidationError(SIGN_OFF_MESSAGE)
    obj.refresh_from_db()
    obj.status = to_status
    prepare_state(obj=obj, from_status=from_status, publish_at=publish_at)
    obj.save()
    edit_version_bump(obj=obj)
    return transition_record(obj=obj, from_status=from_status, by=by, comment=comment)


REFERENCES_UNCHECKED = (
    "Confirm that you re-checked the page's references (the box under the review fields) before signing it off."
)


def require_references_checked(references_checked: bool) -> None:
    """The evidence is checked again at every review (NHS Standard for Creating Health Content)."""
    if not references_checked:
        raise ValidationError(REFERENCES_UNCHECKED)


@transaction.atomic
def content_mark_reviewed(
    *, obj: Model, by, references_checked: bool, comment: str = "", on: datetime.date | None = None
) -> Transition:
    """Sign content off as medically reviewed by ``by`` today (or ``on``), references re-checked.

    The reviewer needs the review permission and recorded credentials, and
    is never the content's author: two people sign off every clinical page.
    """
    if not roles.can_review(by, obj):
        raise PermissionDenied("Only a medical reviewer can mark content medically reviewed.")
    if obj.author_id is not None and obj.author_id == by.pk:
        raise ValidationError("You wrote this, so someone else must review it.")
    if not has_credentials(by):
        raise ValidationError("Record your professional credentials (Users → your account) before signing off.")
    require_references_checked(references_checked)
    on = on or timezone.localdate()
    obj.reviewed_by = by
    obj.last_reviewed = on
    obj.next_review_due = add_months(on, review_interval_months())
    obj.save()
    edit_version_bump(obj=obj)
    return transition_record(
        obj=obj, from_status=obj.status, by=by, comment=comment, kind=TransitionKind.REVIEW, references_checked=True
    )


def has_credentials(user) -> bool:
    return ReviewerProfile.objects.filter(user=user).exclude(credentials="").exists()


EXPIRY_NOTE = "Unpublish time reached"


def expire_due() -> int:
    """Move every published page whose unpublish time has passed to unpublished, logging each move.

    Readers stop seeing such a page at its unpublish time whether or not this
    has run (``published()`` leaves it out); the move brings the lists, counts
    and sitemaps into line. The page cache runs it when the moment passes.
    """
    from publishing.registry import publishable_models

    moved = 0
    for model in publishable_models():
        for pk in model._default_manager.expired().values_list("pk", flat=True):
            moved += _expire(model, pk)
    return moved


@transaction.atomic
def _expire(model, pk) -> int:
    obj = model._default_manager.expired().select_for_update().filter(pk=pk).first()
    if obj is None:  # moved meanwhile
        return 0
    obj.status = Status.UNPUBLISHED
    obj.save()
    edit_version_bump(obj=obj)
    transition_record(obj=obj, from_status=Status.PUBLISHED, by=None, comment=EXPIRY_NOTE)
    return 1


# --- Optimistic locking ---------------------------------------------------------------------------


def _version_row(obj: Model):
    return EditVersion.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def edit_version_current(obj: Model) -> int:
    """The number of saves ``obj`` has had through the workflow (0 before the first)."""
    if obj.pk is None:
        return 0
    return _version_row(obj).values_list("number", flat=True).first() or 0


@transaction.atomic
def edit_version_claim(*, obj: Model, expected: int) -> int:
    """Take the next version number if the content is still at ``expected``; else raise ``EditConflict``.

    One conditional UPDATE: on PostgreSQL the row lock makes a concurrent
    claim wait and then find the number changed; SQLite serialises writers.
    """
    EditVersion.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, defaults={"number": 0}
    )
    if not _version_row(obj).filter(number=expected).update(number=F("number") + 1):
        raise EditConflict
    return expected + 1


def edit_version_bump(*, obj: Model) -> None:
    """A workflow move changed the content: forms opened before it must not overwrite it."""
    EditVersion.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, defaults={"number": 0}
    )
    _version_row(obj).update(number=F("number") + 1)


# --- Addresses ------------------------------------------------------------------------------------


def slug_change_record(*, model: type[Model], object_id: int, old_slug: str, new_slug: str, was_public: bool) -> None:
    """Remember ``old_slug`` as an address of the object, if readers could have known it.

    The new slug stops redirecting anywhere (it is a live address now), and
    a draft's rename leaves no trace.
    """
    content_type = ContentType.objects.get_for_model(model)
    SlugRedirect.objects.filter(content_type=content_type, old_slug=new_slug).delete()
    if was_public and old_slug:
        SlugRedirect.objects.update_or_create(
            content_type=content_type, old_slug=old_slug, defaults={"object_id": object_id}
        )
