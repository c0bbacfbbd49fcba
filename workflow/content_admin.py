"""The admin base every publishable content type's admin uses: ``WorkflowAdmin``.

It adds to django-reversion's ``VersionAdmin`` (history, restore, recover
deleted): role checks on every object, state moves as buttons and bulk
actions, the edit lock and its conflict page, who else is editing, and a
readable comparison of any two revisions. Register a content type's admin
with it (``@admin.register(Page) class PageAdmin(WorkflowAdmin)``).
"""

import datetime
from functools import partial

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from linkcheck.selectors import reference_problems
from publishing.models import Status
from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin, CleanInitialDataMixin
from workflow import columns, roles
from workflow.changelist import YearProbingChangeList
from workflow.diff import compare
from workflow.models import PendingState, Transition
from workflow.pending import (
    CHANGES_NEED_REVIEW,
    EDITORIAL_COMMENT,
    WORKFLOW_FIELDS,
    capture_save,
    discard_changes,
    has_open_change,
    holds_changes_for_review,
    is_clinical,
    keep_as_pending,
    open_change,
    open_change_ids,
    publish_changes,
    record_editorial_published,
    review_changes,
    submit_changes,
    with_pending_text,
    withdraw_changes,
)
from workflow.presence import HEARTBEAT_SECONDS, presence_leave, presence_touch
from workflow.readability import ReadabilityPanelMixin
from workflow.rich_text_admin import RichTextViewMixin
from workflow.selectors import DUE_SOON_DAYS
from workflow.services import (
    SIGN_OFF_MESSAGE,
    EditConflict,
    content_mark_reviewed,
    content_transition,
    edit_version_bump,
    edit_version_claim,
    is_signed_off,
    prepare_state,
    transition_record,
)
from workflow.widgets import SEARCH_TITLE_FITS, LengthHintInput, SearchDescriptionWidget, search_preview_settings

MOVE_LABELS = {
    Status.IN_REVIEW: "Submit for review",
    Status.PUBLISHED: "Publish",
    Status.UNPUBLISHED: "Unpublish",
    Status.DRAFT: "Back to draft",
}
# The workflow form's own inputs: not content, so never "changed text".
FORM_ONLY_FIELDS = frozenset({"edit_version", "transition_comment", "references_checked"})
PENDING_MOVES = {
    "submit_changes": ("Submit changes for review", submit_changes),
    "withdraw_changes": ("Withdraw changes from review", withdraw_changes),
    "review_changes": ("Mark changes medically reviewed", review_changes),
    "publish_changes": ("Publish changes", publish_changes),
    "discard_changes": ("Discard changes", discard_changes),
}
PENDING_DONE = {
    "submit_changes": "The changes are waiting for medical review.",
    "withdraw_changes": "The changes are withdrawn from review: they are a draft again.",
    "review_changes": "The changes are signed off as medically reviewed. A publisher can now publish them.",
    "publish_changes": "The changes are published: readers see them now.",
    "discard_changes": "The changes are discarded. The published page is as it was.",
}
PENDING_SAVED = (
    "Saved as changes waiting for review. Readers still see the published version until the changes are published."
)


def moved_message(obj) -> str:
    """What a state move did, in the editor's words: scheduling is not publishing."""
    if obj.is_scheduled:
        return f"Scheduled: readers see it from {timezone.localtime(obj.published_at):%-d %b %Y %H:%M}."
    if obj.status == Status.PUBLISHED:
        return "Published: readers see it now."
    return f"Now {obj.state_label.lower()}."


class MoveRefused(Exception):
    """A workflow button was refused: nothing of the save is kept, and the form shows why."""


def refusal_text(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class StateFilter(admin.SimpleListFilter):
    """States as editors read them: "Scheduled" and "Expired" apart from "Published"."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Status.DRAFT, "Draft"),
            (Status.IN_REVIEW, "In review"),
            ("scheduled", "Scheduled"),
            (Status.PUBLISHED, "Published (live)"),
            ("expired", "Expired"),
            (Status.UNPUBLISHED, "Unpublished"),
            ("changes", "Changes waiting for review"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == Status.PUBLISHED:
            return queryset.published()
        if value == "expired":
            return queryset.expired()
        if value == "changes":
            return queryset.filter(pk__in=open_change_ids(queryset.model))
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("soon", f"Due within {DUE_SOON_DAYS} days"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() == "soon":
            return queryset.filter(
                next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
            )
        if self.value() == "never":
            return queryset.filter(last_reviewed__isnull=True)
        return queryset


def _workflow_fields(fields, *, reviews=False):
    """A fieldset's fields with the state shown rather than edited, and the unpublish time after the publish time.

    A reviewer also gets the references confirmation beside the review fields.
    """
    shown = ["state_display" if name == "status" else name for name in fields]
    if "published_at" in shown and "expires_at" not in shown:
        shown.insert(shown.index("published_at") + 1, "expires_at")
    if reviews and "reviewed_by" in shown and "references_checked" not in shown:
        shown.append("references_checked")
    return shown


class _NotEditorialOnly(Exception):
    """The save was not an editorial-only change that can go live at once: roll it back."""


class _Snapshot(Exception):
    def __init__(self, snapshot):
        self.snapshot = snapshot


class WorkflowAdmin(
    ReadabilityPanelMixin,
    RichTextViewMixin,
    BoundedSearchMixin,
    CleanInitialDataMixin,
    CheckedRelationsMixin,
    VersionAdmin,
):
    """Mix into the ModelAdmin of a model with status, published_at, author and review fields."""

    change_form_template = "workflow/admin/change_form.html"
    object_history_template = "workflow/admin/object_history.html"
    history_latest_first = True
    # 50 rows a page, as the other long admin lists here: each row renders nine cells through Django's admin
    # templates, and at 100 rows that was two thirds of the list's server time.
    list_per_page = 50
    # A filtered list says "12 results" without "(100,000 total)": that total is a second count of every row on
    # each list page (10 ms at 100,000 articles), as Django's documentation warns for large tables.
    show_full_result_count = False
    # Labels of the fields a revision comparison shows, in order; set per model.
    compare_fields: dict[str, str] = {}
    conflict_fields: list[str] = []

    class Media:
        # Keeps unsaved text in the browser and warns before it is lost; on the list page it
        # only removes the copy of a page whose save just succeeded.
        js = ["workflow/autosave.js"]

    def get_changelist(self, request, **kwargs):
        return YearProbingChangeList

    def action_checkbox(self, obj):
        # Django renders each row's checkbox through the form template engine: about a fifth of the server
        # time of a 100-row list. The same markup, written directly (tests compare it with Django's).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "seo_title":
            kwargs["widget"] = LengthHintInput(fits=SEARCH_TITLE_FITS)
        elif db_field.name == "meta_description":
            preview = search_preview_settings(self.model, request, settings.SITE_NAME)
            kwargs["widget"] = SearchDescriptionWidget(preview=preview)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="")
    def preview_link(self, obj):
        label = "View" if obj.is_public else "Preview"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label)

    # --- Roles ---

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or roles.can_edit(request.user, obj) or self._reviews_changes(request, obj)

    def _reviews_changes(self, request, obj):
        """A medical reviewer works on a published page while changes to it wait for review."""
        if not holds_changes_for_review(obj) or not roles.can_review(request.user, obj):
            return False
        pending = open_change(obj)
        return pending is not None and pending.state == PendingState.IN_REVIEW

    def has_publish_permission(self, request):
        return roles.can_publish(request.user, self.model)

    def has_review_permission(self, request):
        return roles.can_review(request.user, self.model)

    def get_fieldsets(self, request, obj=None):
        reviews = obj is not None and roles.can_review(request.user, self.model)
        fieldsets = [
            (name, {**options, "fields": _workflow_fields(options["fields"], reviews=reviews)})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A read-only page shows the content, not the form's own workflow inputs.
        form_only = FORM_ONLY_FIELDS
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in form_only]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "state_display"]

    def get_list_filter(self, request):
        return [StateFilter if name == "status" else name for name in super().get_list_filter(request)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"user": request.user, "refusal": getattr(request, "_workflow_refusal", None)}
        return type(form.__name__, (form,), attrs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_open_change=has_open_change(self.model))

    @admin.display(description="state", ordering="published_at")
    def state_column(self, obj):
        """For lists: the state as editors read it, over its publish time or "changes waiting"."""
        return columns.state_cell(obj)

    @admin.display(description="state")
    def state_display(self, obj):
        if obj is None or obj.pk is None:
            return "Draft (new)"
        label = obj.state_label
        if obj.is_scheduled:
            return f"Scheduled: readers see it from {timezone.localtime(obj.published_at):%-d %b %Y %H:%M}"
        if obj.is_public and obj.expires_at:
            return f"{label}, until {timezone.localtime(obj.expires_at):%-d %b %Y %H:%M}"
        return label

    # --- Saving: the edit lock, state moves and their log ---

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except MoveRefused as refused:
            request._workflow_refusal = str(refused)
            return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        view = self._change_view_for(request, object_id)
        try:
            return view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Another save landed between this form's check and its write; the
            # transaction and revision were rolled back. Run the view again: the
            # form now sees the new version and shows the conflict page.
            return view(request, object_id, form_url, extra_context)
        except MoveRefused as refused:
            # The save and the move were rolled back together; the form shows the posted text and why.
            request._workflow_refusal = str(refused)
            return view(request, object_id, form_url, extra_context)

    def _change_view_for(self, request, object_id):
        """django-reversion's view, which records a revision of each save; a published page records its own."""
        if self._published_for_editing(request, object_id) is None:
            return super().change_view
        return partial(admin.ModelAdmin.change_view, self)

    # --- Published pages: edits wait for review (workflow.pending) ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self._published_for_editing(request, object_id)
        if obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)

        def run():
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super(WorkflowAdmin, self).changeform_view(request, object_id, form_url, extra_context)

        pending = open_change(obj)
        request._workflow_pending = pending
        if request.method != "POST":
            return with_pending_text(pending, run)
        if request.POST.get("_workflow") == "discard_changes" and pending is not None:
            return self._pending_move_only(request, obj, pending, "discard_changes")
        if pending is None and request.POST.get("_workflow") == "publish_changes":
            published = self._publish_editorial_at_once(request, obj, object_id, form_url, extra_context)
            if published is not None:
                return published
        request._workflow_capturing = True
        response, captured = capture_save(obj=obj, pending=pending, save=run)
        request._workflow_capturing = False
        if captured is None:
            return response
        changed = getattr(request, "_workflow_changed", [])
        return self._keep_for_review(request, obj, captured, changed, rerun=run)

    def _publish_editorial_at_once(self, request, obj, object_id, form_url, extra_context):
        """A publisher's "Publish changes" on an edit of editorial fields only (tags, say), nothing else pending.

        The save is written to the published page directly and recorded as a
        published change (``record_editorial_published``): what keeping the edit
        and publishing it would leave, without writing everything twice. Any
        other save (clinical text, a form with errors, nothing changed) is
        rolled back and returns ``None``, to go the usual way.
        """
        if not roles.can_publish(request.user, obj):
            return None
        # As for a kept save: the admin's own message and the button's move stay out of it.
        request._workflow_capturing = True
        request._workflow_kept_fields = {name: getattr(obj, name) for name in WORKFLOW_FIELDS}
        try:
            with transaction.atomic():
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    response = super().changeform_view(request, object_id, form_url, extra_context)
                    kept = request._workflow_kept_fields
                    changed = [name for name in getattr(request, "_workflow_changed", []) if name not in kept]
                    if response.status_code != 302 or not changed or is_clinical(type(obj), changed):
                        raise _NotEditorialOnly
                    reversion.set_comment(EDITORIAL_COMMENT)
                record_editorial_published(obj=obj, by=request.user, changed=changed, comment=request._workflow_comment)
        except _NotEditorialOnly:
            return None
        finally:
            request._workflow_capturing = False
            del request._workflow_kept_fields
        messages.success(request, PENDING_DONE["publish_changes"])
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[obj.pk]))

    def _published_for_editing(self, request, object_id):
        """The published page behind this change form, unless it is a plain save (new, draft, read-only)."""
        if object_id is None or getattr(request, "_workflow_capturing", False):
            return None
        if getattr(request, "_workflow_restoring", False):
            return None
        if not hasattr(request, "_workflow_published"):
            obj = self.get_object(request, unquote(object_id))
            editable = obj is not None and holds_changes_for_review(obj) and self.has_change_permission(request, obj)
            request._workflow_published = obj if editable else None
        return request._workflow_published

    def _keep_for_review(self, request, obj, captured, changed, *, rerun, clinical_always=False):
        action = request.POST.get("_workflow", "")
        comment = getattr(request, "_workflow_comment", "")
        try:
            with transaction.atomic():
                pending = open_change(obj)
                if changed:
                    pending = keep_as_pending(
                        obj=obj, captured=captured, by=request.user, changed=changed, clinical_always=clinical_always
                    )
                done = self._pending_or_state_move(request, obj, pending, action, comment, edited=bool(changed))
        except ValidationError as refused:
            request._workflow_refusal = refusal_text(refused)
            request._workflow_pending = open_change(obj)
            return with_pending_text(request._workflow_pending, rerun)
        # Said only once everything held: a refused move keeps nothing.
        if done:
            messages.success(request, done)
        elif changed:
            messages.success(request, PENDING_SAVED)
        else:
            messages.info(request, "Nothing was changed.")
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[obj.pk]))

    def _pending_move_only(self, request, obj, pending, action):
        try:
            done = self._pending_or_state_move(
                request, obj, pending, action, request.POST.get("transition_comment", "")
            )
            messages.success(request, done)
        except (ValidationError, PermissionDenied) as refused:
            messages.error(request, refusal_text(refused))
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[obj.pk]))

    def _pending_or_state_move(self, request, obj, pending, action, comment, edited=False) -> str:
        """Run the pressed move on the page or its pending change; the message to show ("" for no move)."""
        if not action:
            return ""
        if action in Status.values:
            return self._state_move(request, obj, action, comment)
        if action not in PENDING_MOVES:
            raise ValidationError("Unknown workflow button.")
        if pending is None:
            raise ValidationError("There are no changes waiting for review on this page.")
        if action == "review_changes" and edited:
            raise ValidationError("You changed the text just now, so someone else must review it.")
        label, move = PENDING_MOVES[action]
        if action == "review_changes":
            checked = getattr(request, "_workflow_references_checked", False)
            move(pending=pending, by=request.user, comment=comment, references_checked=checked)
        else:
            move(pending=pending, by=request.user, comment=comment)
        return PENDING_DONE[action]

    def _state_move(self, request, obj, action, comment) -> str:
        obj = type(obj)._base_manager.get(pk=obj.pk)
        content_transition(obj=obj, to_status=action, by=request.user, comment=comment)
        obj.refresh_from_db()
        return moved_message(obj)

    def save_model(self, request, obj, form, change):
        before = self._state_before(request, obj) if change else None
        from_status = before["status"] if before else ""
        if change:
            posted = form.cleaned_data.get("edit_version")
            edit_version_claim(obj=obj, expected=form.base_version if posted is None else posted)
            if getattr(request, "_workflow_restoring", False):
                # Restoring text never changes who can see the page: states move only by moves.
                obj.status, obj.published_at = before["status"], before["published_at"]
            # An edit published at once keeps the page's state and sign-off, as publishing a kept one does.
            for name, value in getattr(request, "_workflow_kept_fields", {}).items():
                setattr(obj, name, value)
        if not roles.may_move(request.user, obj, from_status or Status.DRAFT, obj.status):
            raise PermissionDenied("Your role does not allow this change of state.")
        prepare_state(obj=obj, from_status=from_status)
        super().save_model(request, obj, form, change)
        if not change:
            edit_version_bump(obj=obj)
        if from_status != obj.status:
            comment = form.cleaned_data.get("transition_comment", "")
            transition_record(obj=obj, from_status=from_status, by=request.user, comment=comment)

    def _state_before(self, request, obj):
        stashed = getattr(request, "_workflow_state_before", None)
        if stashed is not None:
            return stashed
        return type(obj)._base_manager.filter(pk=obj.pk).values("status", "published_at").first()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [name for name in form.changed_data if name not in FORM_ONLY_FIELDS]
        changed += [formset.model._meta.label for formset in formsets if formset.has_changed()]
        request._workflow_changed = changed
        request._workflow_comment = form.cleaned_data.get("transition_comment", "")
        request._workflow_references_checked = bool(form.cleaned_data.get("references_checked"))
        if getattr(request, "_workflow_capturing", False):
            return  # a published page: the moves run on its pending change (changeform_view)
        if change:
            self._forget_stale_sign_off(request, form.instance, changed)
        action = request.POST.get("_workflow", "")
        if action:
            self._run_button(request, form.instance, action, request._workflow_comment)

    def _forget_stale_sign_off(self, request, obj, changed):
        """A medical sign-off covers the text that was reviewed: new clinical text needs a new one."""
        if not is_signed_off(obj) or not is_clinical(type(obj), changed):
            return
        type(obj)._base_manager.filter(pk=obj.pk).update(reviewed_by=None, last_reviewed=None)
        obj.reviewed_by, obj.last_reviewed = None, None
        messages.warning(request, "The clinical text changed after its medical review, so it needs signing off again.")

    def _run_button(self, request, obj, action, comment):
        """Run the move the editor pressed; if it is refused, nothing of the save is kept (``MoveRefused``)."""
        try:
            if action == "mark_reviewed":
                checked = getattr(request, "_workflow_references_checked", False)
                content_mark_reviewed(obj=obj, by=request.user, comment=comment, references_checked=checked)
                messages.success(request, "Marked medically reviewed.")
            elif action in Status.values:
                content_transition(obj=obj, to_status=action, by=request.user, comment=comment)
                obj.refresh_from_db()
                messages.success(request, moved_message(obj))
            else:
                raise ValidationError("Unknown workflow button.")
        except ValidationError as error:
            raise MoveRefused(refusal_text(error)) from error

    def message_user(self, request, message, *args, **kwargs):
        # A published page's save is undone and kept for review: Django's "changed successfully" would be untrue.
        if not getattr(request, "_workflow_capturing", False):
            super().message_user(request, message, *args, **kwargs)

    # --- Restore and recover: states stay as they are ---

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        request._workflow_state_before = {"status": obj.status, "published_at": obj.published_at}
        request._workflow_restoring = True

        def run():
            return super(WorkflowAdmin, self).revision_view(request, object_id, version_id, extra_context)

        editable = self.has_change_permission(request, obj)
        if request.method != "POST" or not holds_changes_for_review(obj) or not editable:
            return run()
        request._workflow_capturing = True
        response, captured = capture_save(obj=obj, pending=None, save=run)
        request._workflow_capturing = False
        if captured is None:
            return response
        return self._keep_for_review(
            request, obj, captured, ["an earlier revision, restored"], rerun=run, clinical_always=True
        )

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted page comes back as a draft unless a publisher brings it back.
        if not roles.can_publish(request.user, self.model):
            request._workflow_state_before = {"status": Status.DRAFT, "published_at": None}
            request._workflow_restoring = True
        return super().recover_view(request, version_id, extra_context)

    # --- Bulk actions ---

    actions = ["submit_for_review", "publish_now", "unpublish", "back_to_draft", "mark_reviewed"]

    def _move_each(self, request, queryset, to_status):
        moved = 0
        for obj in queryset:
            try:
                content_transition(obj=obj, to_status=to_status, by=request.user, comment="Bulk action")
                moved += 1
            except (PermissionDenied, ValidationError) as error:
                messages.warning(request, f"“{obj}” not moved: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if moved:
            messages.success(request, f"{moved} moved to {Status(to_status).label.lower()}.")

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move_each(request, queryset, Status.IN_REVIEW)

    @admin.action(description="Publish selected now (or at their scheduled time)", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._move_each(request, queryset, Status.PUBLISHED)

    @admin.action(description="Unpublish selected", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move_each(request, queryset, Status.UNPUBLISHED)

    @admin.action(description="Send selected back to draft", permissions=["change"])
    def back_to_draft(self, request, queryset):
        self._move_each(request, queryset, Status.DRAFT)

    @admin.action(description="Mark selected medically reviewed (by me, today)", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        if request.POST.get("references_checked") != "yes":
            return self._confirm_references_checked(request, queryset)
        done = 0
        for obj in queryset:
            try:
                content_mark_reviewed(obj=obj, by=request.user, comment="Bulk action", references_checked=True)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                messages.warning(request, f"“{obj}” not marked: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(request, f"{done} marked medically reviewed.")

    def _confirm_references_checked(self, request, queryset):
        """Before a bulk sign-off: each page's references that need a look, and the reviewer's confirmation."""
        pages = [(obj, reference_problems(obj)) for obj in queryset[:100]]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Confirm the references were re-checked",
            "pages": pages,
            "selected": [obj.pk for obj, _ in pages],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "workflow/admin/confirm_review.html", context)

    # --- Columns ---

    @admin.display(description="review", ordering="next_review_due")
    def review_state(self, obj):
        today = timezone.localdate()
        if obj.next_review_due is None:
            return format_html('<span class="review-flag review-flag--never">{}</span>', "Never reviewed")
        if obj.next_review_due < today:
            return format_html(
                '<strong class="review-flag review-flag--overdue" style="color:#ba2121">Overdue since {}</strong>',
                obj.next_review_due.strftime("%-d %b %Y"),
            )
        return f"Due {obj.next_review_due:%-d %b %Y}"

    # --- The change page: presence, buttons, log, conflict ---

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        extra = {"workflow_buttons": [], "editing_now": [], "transitions": []}
        if obj is not None and obj.pk is not None:
            extra["editing_now"] = presence_touch(obj=obj, user=request.user)
            extra["presence_url"] = reverse(self._url_name("presence"), args=[obj.pk])
            extra["heartbeat_seconds"] = HEARTBEAT_SECONDS
            extra["transitions"] = Transition.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            ).select_related("by")[:20]
            extra["pending"] = getattr(request, "_workflow_pending", None)
            if roles.can_review(request.user, obj):
                extra["reference_problems"] = reference_problems(obj)
            if self.has_change_permission(request, obj):
                extra["workflow_buttons"], extra["workflow_notes"] = self._buttons(request, obj, extra["pending"])
            else:
                # Read only (an author's page in review): the moves still open to them, without saving.
                extra["workflow_buttons"] = [
                    (move, self._move_label(request.user, obj, move)) for move in roles.allowed_moves(request.user, obj)
                ]
                extra["move_url"] = reverse(self._url_name("move"), args=[obj.pk])
            extra["review_overdue"] = obj.next_review_due is not None and obj.next_review_due < timezone.localdate()
        if getattr(form, "conflict", None):
            extra["conflict"] = self._conflict_details(obj, form)
        context.update(extra)
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if extra.get("conflict"):
            response.status_code = 409
        return response

    def _buttons(self, request, obj, pending):
        """The moves this user may make here, and a sentence for each move they might look for and not find."""
        user = request.user
        if holds_changes_for_review(obj):
            buttons, notes = self._pending_buttons(user, obj, pending)
        else:
            buttons, notes = [], []
        for move in roles.allowed_moves(user, obj):
            buttons.append((move, self._move_label(user, obj, move)))
        if obj.status == Status.PUBLISHED:
            return buttons, notes
        may_review = roles.can_review(user, obj)
        if may_review and obj.author_id != user.pk:
            buttons.append(("mark_reviewed", "Mark medically reviewed"))
        elif may_review:
            notes.append("You wrote this, so someone else must review it.")
        if Status.PUBLISHED in roles.allowed_moves(user, obj) and not is_signed_off(obj):
            notes.append(SIGN_OFF_MESSAGE)
        elif not roles.can_publish(user, obj):
            notes.append("A publisher publishes the page once a medical reviewer has signed it off.")
        return buttons, notes

    def _move_label(self, user, obj, move):
        if obj.status == Status.IN_REVIEW and move == Status.DRAFT:
            return "Withdraw from review" if obj.author_id == user.pk else "Send back to the author"
        if move == Status.PUBLISHED and obj.published_at and obj.published_at > timezone.now():
            return "Schedule"
        return MOVE_LABELS[move]

    def _pending_buttons(self, user, obj, pending):
        if pending is None:
            note = "Readers see the published version. Saving changes keeps them for review, not live."
            if roles.can_publish(user, obj):
                # Editorial changes (search fields, tags, author...) may go live at once; clinical ones are refused.
                return [("publish_changes", PENDING_MOVES["publish_changes"][0])], [note]
            return [], [note]
        buttons, notes = [], []
        mine = pending.created_by_id == user.pk
        if pending.state == PendingState.DRAFT and roles.can_edit(user, obj):
            buttons.append("submit_changes")
        if pending.state == PendingState.IN_REVIEW and (mine or roles.can_publish(user, obj)):
            buttons.append("withdraw_changes")
        if pending.clinical and not pending.is_signed_off and roles.can_review(user, obj):
            if user.pk in {pending.created_by_id, obj.author_id}:
                notes.append("You wrote this, so someone else must review it.")
            else:
                buttons.append("review_changes")
        if roles.can_publish(user, obj):
            if pending.clinical and not pending.is_signed_off:
                notes.append(CHANGES_NEED_REVIEW)
            else:
                buttons.append("publish_changes")
        if mine or roles.can_publish(user, obj):
            buttons.append("discard_changes")
        return [(move, PENDING_MOVES[move][0]) for move in buttons], notes

    def _conflict_details(self, obj, form):
        """Who saved last and when, beside the form's comparison (``workflow.conflicts.Conflict``)."""
        saved = type(obj)._base_manager.get(pk=obj.pk)
        latest = Version.objects.get_for_object(saved).select_related("revision__user").first()
        return {
            "saved_by": latest.revision.user if latest else None,
            "saved_at": latest.revision.date_created if latest else saved.updated_at,
            "detail": form.conflict,
            "current_url": reverse(self._url_name("change"), args=[obj.pk]),
        }

    # --- Extra pages ---

    def _url_name(self, view):
        opts = self.model._meta
        return f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}"

    def get_urls(self):
        opts = self.model._meta
        info = f"{opts.app_label}_{opts.model_name}"
        extra = [
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(require_POST(self.presence_view)),
                name=f"{info}_presence",
            ),
            path(
                "<path:object_id>/move/",
                self.admin_site.admin_view(require_POST(self.move_view)),
                name=f"{info}_move",
            ),
            path(
                "<path:object_id>/changes/",
                self.admin_site.admin_view(self.pending_changes_view),
                name=f"{info}_changes",
            ),
            path(
                "<path:object_id>/changes/preview/",
                self.admin_site.admin_view(self.pending_preview_view),
                name=f"{info}_changes_preview",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info}_compare",
            ),
        ]
        return extra + super().get_urls()

    def presence_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        if request.POST.get("leave"):
            presence_leave(obj=obj, user=request.user)
            return JsonResponse({"editing": []})
        return JsonResponse({"editing": presence_touch(obj=obj, user=request.user)})

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        versions = self._reversion_order_version_queryset(
            request, Version.objects.get_for_object(obj).select_related("revision__user")
        )
        context = {
            "compare_url": reverse(self._url_name("compare"), args=[obj.pk]),
            "action_list": [
                {
                    "revision": version.revision,
                    "version_id": version.pk,
                    "url": reverse(self._url_name("revision"), args=[obj.pk, version.pk]),
                }
                for version in versions
            ],
        }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def move_view(self, request, object_id):
        """A state move without saving the form, for those who may move a page but not edit it (withdraw)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        action = request.POST.get("_workflow", "")
        if action not in Status.values:
            return HttpResponseBadRequest("Unknown move.")
        try:
            messages.success(
                request, self._state_move(request, obj, action, request.POST.get("transition_comment", ""))
            )
        except ValidationError as refused:
            messages.error(request, refusal_text(refused))
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[obj.pk]))

    def _open_change_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        pending = open_change(obj)
        if pending is None:
            raise Http404("No changes are waiting for review on this page.")
        return obj, pending

    def pending_changes_view(self, request, object_id):
        """The published page against its changes waiting for review, field by field."""
        obj, pending = self._open_change_or_404(request, object_id)
        pending_version = pending.revision.version_set.get(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        changes = compare(self._published_snapshot(obj), self._snapshot(pending_version), self._compare_labels())
        context = {
            **self._compare_context(request, obj),
            "title": f"Changes waiting for review: “{obj}”",
            "pending": pending,
            "changes": changes,
            "change_url": reverse(self._url_name("change"), args=[obj.pk]),
        }
        return TemplateResponse(request, "workflow/admin/pending_changes.html", context)

    def _published_snapshot(self, obj):
        """The published page as a snapshot, through a revision written and rolled back at once."""
        try:
            with transaction.atomic():
                with reversion.create_revision():
                    reversion.add_to_revision(obj)
                version = Version.objects.get_for_object(obj).order_by("-pk").first()
                raise _Snapshot(self._snapshot(version))
        except _Snapshot as taken:
            return taken.snapshot

    def pending_preview_view(self, request, object_id):
        """The public page as it will read once the changes are published (for staff; never cached)."""
        obj, pending = self._open_change_or_404(request, object_id)
        match = resolve(obj.get_absolute_url())
        response = with_pending_text(pending, lambda: match.func(request, *match.args, **match.kwargs))
        response["Cache-Control"] = "private, no-store"
        return response

    def compare_view(self, request, object_id):
        """Two revisions of one object side by side as a word diff (``?old=<id>&new=<id>``)."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            old = get_object_or_404(versions, pk=int(request.GET.get("old", "")))
            new = get_object_or_404(versions, pk=int(request.GET.get("new", "")))
        except ValueError:
            return TemplateResponse(
                request, "workflow/admin/compare.html", self._compare_context(request, obj), status=400
            )
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        changes = compare(self._snapshot(old), self._snapshot(new), self._compare_labels())
        context = {**self._compare_context(request, obj), "old": old, "new": new, "changes": changes}
        return TemplateResponse(request, "workflow/admin/compare.html", context)

    def _compare_context(self, request, obj):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"Compare revisions of “{obj}”",
            "history_url": reverse(self._url_name("history"), args=[obj.pk]),
        }

    def _compare_labels(self) -> dict[str, str]:
        return {**self.compare_fields, **{f"part:{label}": label for label in self._part_labels()}}

    def _part_labels(self):
        return [inline.model._meta.verbose_name_plural.capitalize() for inline in self.inlines] + ["Tags"]

    def _snapshot(self, version) -> dict:
        """A revision as ``{field: readable value}``, with inline rows and tags as lists of names."""
        fields = version.field_dict
        snapshot = {}
        for name in self.compare_fields:
            field = self.model._meta.get_field(name)
            value = fields.get(field.attname)
            if field.many_to_many and field.related_model is not None and value is not None:
                value = [str(item) for item in field.related_model._base_manager.filter(pk__in=value)]
            elif field.is_relation and value is not None:
                value = str(field.related_model._base_manager.filter(pk=value).first() or f"#{value}")
            elif field.choices and value is not None:
                value = dict(field.flatchoices).get(value, value)
            snapshot[name] = value
        for part in version.revision.version_set.exclude(pk=version.pk).select_related("content_type"):
            model = part.content_type.model_class()
            if model is None or model is self.model:
                continue
            label = "Tags" if model._meta.model_name == "taggeditem" else model._meta.verbose_name_plural.capitalize()
            name = part.object_repr.rsplit(" tagged with ", 1)[-1] if label == "Tags" else part.object_repr
            snapshot.setdefault(f"part:{label}", []).append(name)
        return snapshot
