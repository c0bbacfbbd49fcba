"""Changes to published pages, kept as a revision until they are reviewed and published.

A published page (live, or scheduled) is never rewritten by an editor's save.
The save runs as usual inside a transaction, django-reversion records what it
wrote (the page, its inline rows and its tags), and the transaction is rolled
back: the recorded revision becomes the page's ``PendingChange``. Readers,
feeds, search, the API and the page cache go on seeing the published row, and
the "Medically reviewed" line goes on belonging to the text on screen.

The change form shows the pending text by reverting the revision inside a
transaction that is rolled back once the page is rendered, as
django-reversion's own "restore" pages do. Publishing the change reverts the
revision for real, keeps the page's state and publish time, and records the
medical sign-off the change received.

A change that touches only editorial fields (``Publishable.editorial_fields``:
search title, tags, ...) leaves the reviewed clinical text as it was, so a
publisher may publish it without a new review; the log says so. When a
publisher presses "Publish changes" with such an edit and nothing else waits
for review, the save is written to the page at once (the admin's
``WorkflowAdmin``) and recorded as a published change, as if it had been kept
and published in one step: the same revision, log line and record, half the
writing.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef
from django.http import HttpResponse
from django.utils import timezone
from reversion.models import Revision, Version

from publishing.bulk import row_work_put_off
from publishing.models import Status
from workflow import roles
from workflow.models import OPEN_PENDING_STATES, PendingChange, PendingState, TransitionKind
from workflow.services import (
    add_months,
    edit_version_bump,
    has_credentials,
    require_references_checked,
    review_interval_months,
    transition_record,
)

PENDING_COMMENT = "Changes waiting for review"
# Fields a move sets; a pending change never carries them to the published page.
WORKFLOW_FIELDS = ("status", "published_at", "reviewed_by", "last_reviewed", "next_review_due")


def holds_changes_for_review(obj: Model) -> bool:
    """Edits to a published page (live or scheduled) wait for review instead of going live."""
    return obj.pk is not None and obj.status == Status.PUBLISHED


def open_change(obj: Model) -> PendingChange | None:
    return (
        PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, state__in=OPEN_PENDING_STATES
        )
        .select_related("revision", "created_by", "reviewed_by")
        .first()
    )


def open_change_ids(model):
    """The ids of ``model``'s pages with an open change, as a subquery."""
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), state__in=OPEN_PENDING_STATES
    ).values("object_id")


def has_open_change(model):
    """An ``Exists`` to annotate a queryset of ``model`` with (admin lists: no query per row)."""
    return Exists(open_change_ids(model).filter(object_id=OuterRef("pk")))


def is_clinical(model, changed: list[str]) -> bool:
    """Whether any of ``changed`` (field names, or ``app.Model`` labels of inline parts) is clinical text."""
    return any(name not in model.editorial_fields and name not in WORKFLOW_FIELDS for name in changed)


# --- Seeing the pending text ---------------------------------------------------------------------


class _Undo(Exception):
    def __init__(self, result):
        self.result = result


def revert_quietly(revision: Revision) -> None:
    """Write ``revision`` back with the apps' per-row work put off (search, counts, caches): the caller rolls it back.

    Not django-reversion's ``mute_signals``: that empties the signals for every
    thread of the process, so a colleague's save in another thread would skip
    its search and cache work.
    """
    with row_work_put_off():
        revision.revert(delete=True)


def with_pending_text(pending: PendingChange | None, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s response as if ``pending`` were published, with nothing kept in the database."""
    if pending is None:
        return render()
    try:
        with transaction.atomic():
            revert_quietly(pending.revision)
            response = render()
            if hasattr(response, "render"):
                response.render()
            raise _Undo(response)
    except _Undo as undo:
        return undo.result


# --- Saving changes as a pending revision --------------------------------------------------------


@dataclass(frozen=True)
class CapturedSave:
    """What a rolled-back save wrote, enough to write it again later."""

    versions: list[dict]
    targets: dict[type[Model], str]  # rows the versions point at, serialized, in case the save created them


def capture_save(*, obj: Model, pending: PendingChange | None, save: Callable[[], HttpResponse]):
    """Run ``save()`` (the admin's own POST handling) on top of ``pending`` and undo it.

    Returns the response and, when the save went through (a redirect), what
    it wrote. A form with errors is rendered before the undo, as typed. The
    apps' per-row work (counts, tag pages, search, caches, reading ages) is
    put off: it would be undone with the save, and is done when the change
    is published.
    """
    try:
        with transaction.atomic(), row_work_put_off():
            if pending is not None:
                revert_quietly(pending.revision)
            last_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = save()
            captured = None
            if response.status_code == 302:
                captured = _captured_revision(obj, after=last_revision)
            elif hasattr(response, "render"):
                response.render()
            raise _Undo((response, captured))
    except _Undo as undo:
        return undo.result


def _captured_revision(obj: Model, *, after: int) -> CapturedSave | None:
    version = Version.objects.get_for_object(obj).filter(revision_id__gt=after).order_by("-revision_id").first()
    if version is None:
        return None
    versions = [
        {
            "content_type_id": row.content_type_id,
            "object_id": row.object_id,
            "db": row.db,
            "format": row.format,
            "serialized_data": row.serialized_data,
            "object_repr": row.object_repr,
        }
        for row in version.revision.version_set.all()
    ]
    return CapturedSave(versions=versions, targets=_serialized_targets(version.revision))


def _serialized_targets(revision: Revision) -> dict[type[Model], str]:
    """The rows the revision's rows point at (tags, categories...), serialized before the undo."""
    wanted: dict[type[Model], set] = defaultdict(set)
    for version in revision.version_set.all():
        instance = version._object_version.object
        for field in instance._meta.concrete_fields:
            if field.is_relation and field.related_model is not None and getattr(instance, field.attname) is not None:
                wanted[field.related_model].add(getattr(instance, field.attname))
    skip = {ContentType, type(revision.user) if revision.user else None}
    return {
        model: serializers.serialize("json", model._base_manager.filter(pk__in=ids))
        for model, ids in wanted.items()
        if model not in skip and not model._meta.swapped and model._meta.label != "auth.User"
    }


@transaction.atomic
def keep_as_pending(
    *, obj: Model, captured: CapturedSave, by, changed: list[str], clinical_always: bool = False
) -> PendingChange:
    """Store a captured save as the page's open pending change (replacing the text of an open one)."""
    _restore_missing_targets(captured.targets)
    _reserve_ids(captured.versions)
    revision = Revision.objects.create(date_created=timezone.now(), user=by, comment=PENDING_COMMENT)
    Version.objects.bulk_create(Version(revision=revision, **row) for row in captured.versions)
    pending = open_change(obj) or PendingChange(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, created_by=by
    )
    pending.changed_fields = sorted({*pending.changed_fields, *changed})
    pending.clinical = clinical_always or is_clinical(type(obj), pending.changed_fields)
    pending.revision = revision
    # New text needs a new sign-off.
    pending.reviewed_by, pending.reviewed_on = None, None
    pending.save()
    edit_version_bump(obj=obj)
    return pending


def _restore_missing_targets(targets: dict[type[Model], str]) -> None:
    """Rows the undone save had created (a new tag, say) are written for real, so the revision can point at them."""
    for model, data in targets.items():
        objects = list(serializers.deserialize("json", data))
        ids = [item.object.pk for item in objects]
        existing = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for item in objects:
            if item.object.pk not in existing:
                item.save()


def _reserve_ids(versions: list[dict]) -> None:
    """Keep the ids of rows the pending change adds from being handed out again.

    PostgreSQL's sequences never go back, but SQLite's AUTOINCREMENT counter
    was rolled back with the save: move it past the ids the revision uses.
    """
    if connection.vendor != "sqlite":
        return
    highest: dict[str, int] = {}
    for row in versions:
        model = ContentType.objects.get_for_id(row["content_type_id"]).model_class()
        if model is not None and str(row["object_id"]).isdigit():
            table = model._meta.db_table
            highest[table] = max(highest.get(table, 0), int(row["object_id"]))
    with connection.cursor() as cursor:
        for table, top in highest.items():
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s AND seq < %s", [top, table, top])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [table, top, table],
            )


# --- Moves of a pending change --------------------------------------------------------------------


def _locked(pending: PendingChange) -> PendingChange:
    locked = PendingChange.objects.select_for_update().select_related("revision").get(pk=pending.pk)
    if not locked.is_open:
        raise ValidationError("These changes have already been published or discarded.")
    return locked


def _page(pending: PendingChange) -> Model:
    model = pending.content_type.model_class()
    return model._base_manager.select_for_update().get(pk=pending.object_id)


def _log(*, obj, by, kind, comment):
    return transition_record(obj=obj, from_status=obj.status, by=by, comment=comment, kind=kind)


@transaction.atomic
def submit_changes(*, pending: PendingChange, by, comment: str = "") -> PendingChange:
    pending, obj = _locked(pending), _page(pending)
    if not roles.can_edit(by, obj):
        raise PermissionDenied("You may not submit changes to this page.")
    if pending.state == PendingState.IN_REVIEW:
        raise ValidationError("These changes are already waiting for review.")
    pending.state = PendingState.IN_REVIEW
    pending.save(update_fields=["state", "updated_at"])
    _log(obj=obj, by=by, kind=TransitionKind.CHANGES_SUBMITTED, comment=comment)
    return pending


@transaction.atomic
def withdraw_changes(*, pending: PendingChange, by, comment: str = "") -> PendingChange:
    pending, obj = _locked(pending), _page(pending)
    if pending.state != PendingState.IN_REVIEW:
        raise ValidationError("These changes are not waiting for review.")
    if pending.created_by_id != by.pk and not roles.can_publish(by, obj):
        raise PermissionDenied("Only whoever made the changes, or a publisher, can withdraw them.")
    pending.state = PendingState.DRAFT
    pending.reviewed_by, pending.reviewed_on = None, None
    pending.save()
    _log(obj=obj, by=by, kind=TransitionKind.CHANGES_WITHDRAWN, comment=comment)
    return pending


@transaction.atomic
def review_changes(
    *, pending: PendingChange, by, references_checked: bool, comment: str = "", on: datetime.date | None = None
) -> PendingChange:
    """A medical reviewer signs off the pending text, references re-checked: never its author, nor the page's."""
    pending, obj = _locked(pending), _page(pending)
    if not roles.can_review(by, obj):
        raise PermissionDenied("Only a medical reviewer can sign changes off.")
    if by.pk in {pending.created_by_id, obj.author_id}:
        raise ValidationError("You wrote this, so someone else must review it.")
    if not has_credentials(by):
        raise ValidationError("Record your professional credentials (Users → your account) before signing off.")
    require_references_checked(references_checked)
    pending.reviewed_by, pending.reviewed_on = by, on or timezone.localdate()
    pending.save()
    transition_record(
        obj=obj,
        from_status=obj.status,
        by=by,
        comment=comment,
        kind=TransitionKind.CHANGES_REVIEWED,
        references_checked=True,
    )
    return pending


@transaction.atomic
def discard_changes(*, pending: PendingChange, by, comment: str = "") -> PendingChange:
    pending, obj = _locked(pending), _page(pending)
    if pending.created_by_id != by.pk and not roles.can_publish(by, obj):
        raise PermissionDenied("Only whoever made the changes, or a publisher, can discard them.")
    pending.state = PendingState.DISCARDED
    pending.save(update_fields=["state", "updated_at"])
    _log(obj=obj, by=by, kind=TransitionKind.CHANGES_DISCARDED, comment=comment)
    edit_version_bump(obj=obj)
    return pending


CHANGES_NEED_REVIEW = (
    "These changes alter clinical text, so a medical reviewer must sign them off before they are published."
)
CHANGES_COMMENT = "Published the changes"
EDITORIAL_COMMENT = "Published the changes (editorial, no clinical text)"


@transaction.atomic
def publish_changes(*, pending: PendingChange, by, comment: str = "") -> Model:
    """Put the pending text live: the page keeps its state and publish time, and takes the change's sign-off."""
    pending, obj = _locked(pending), _page(pending)
    if not roles.can_publish(by, obj):
        raise PermissionDenied("Only a publisher can publish changes.")
    if pending.clinical and not pending.is_signed_off:
        raise ValidationError(CHANGES_NEED_REVIEW)
    kept = {name: getattr(obj, name) for name in WORKFLOW_FIELDS}
    pending.revision.revert(delete=True)
    obj.refresh_from_db()
    for name, value in kept.items():
        setattr(obj, name, value)
    if pending.clinical:
        if pending.reviewed_by_id == obj.author_id:
            raise ValidationError("The medical reviewer cannot be the author.")
        obj.reviewed_by_id, obj.last_reviewed = pending.reviewed_by_id, pending.reviewed_on
        obj.next_review_due = add_months(pending.reviewed_on, review_interval_months())
    with reversion.create_revision():
        obj.save()
        reversion.set_user(by)
        reversion.set_comment(CHANGES_COMMENT if pending.clinical else EDITORIAL_COMMENT)
    pending.state = PendingState.PUBLISHED
    pending.save(update_fields=["state", "updated_at"])
    kind = TransitionKind.CHANGES_PUBLISHED if pending.clinical else TransitionKind.EDITORIAL_PUBLISHED
    _log(obj=obj, by=by, kind=kind, comment=comment)
    edit_version_bump(obj=obj)
    return obj


def record_editorial_published(*, obj: Model, by, changed: list[str], comment: str = "") -> PendingChange:
    """Record an editorial edit a publisher saved straight to the published page (inside the save's transaction).

    The record is what publishing a kept change leaves: a published change
    naming its fields and the save's revision, and the log line.
    """
    if is_clinical(type(obj), changed):
        raise ValidationError(CHANGES_NEED_REVIEW)
    revision_id = Version.objects.get_for_object(obj).order_by("-pk").values_list("revision_id", flat=True).first()
    pending = PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        revision_id=revision_id,
        state=PendingState.PUBLISHED,
        created_by=by,
        changed_fields=sorted(changed),
        clinical=False,
    )
    _log(obj=obj, by=by, kind=TransitionKind.EDITORIAL_PUBLISHED, comment=comment)
    return pending
