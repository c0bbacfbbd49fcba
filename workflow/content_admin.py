"""The admin base every publishable content type's admin uses: ``WorkflowAdmin``.

It adds to django-reversion's ``VersionAdmin`` (history, restore, recover
deleted): role checks on every object, state moves as buttons and bulk
actions, the edit lock and its conflict page, who else is editing, and a
readable comparison of any two revisions. Register a content type's admin
with it (``@admin.register(Page) class PageAdmin(WorkflowAdmin)``).
"""

import datetime

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from publishing.models import Status
from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin, CleanInitialDataMixin
from workflow import roles
from workflow.diff import as_text, compare, word_diff
from workflow.models import Transition
from workflow.presence import HEARTBEAT_SECONDS, presence_leave, presence_touch
from workflow.rich_text_admin import RichTextViewMixin
from workflow.selectors import DUE_SOON_DAYS
from workflow.services import (
    EditConflict,
    content_mark_reviewed,
    content_transition,
    edit_version_bump,
    edit_version_claim,
    prepare_state,
    transition_record,
)

MOVE_LABELS = {
    Status.IN_REVIEW: "Submit for review",
    Status.PUBLISHED: "Publish",
    Status.UNPUBLISHED: "Unpublish",
    Status.DRAFT: "Back to draft",
}


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


class WorkflowAdmin(RichTextViewMixin, BoundedSearchMixin, CleanInitialDataMixin, CheckedRelationsMixin, VersionAdmin):
    """Mix into the ModelAdmin of a model with status, published_at, author and review fields."""

    change_form_template = "workflow/admin/change_form.html"
    object_history_template = "workflow/admin/object_history.html"
    history_latest_first = True
    # Labels of the fields a revision comparison shows, in order; set per model.
    compare_fields: dict[str, str] = {}
    conflict_fields: list[str] = []

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="")
    def preview_link(self, obj):
        label = "View" if obj.is_public else "Preview"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label)

    # --- Roles ---

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or roles.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return roles.can_publish(request.user, self.model)

    def has_review_permission(self, request):
        return roles.can_review(request.user, self.model)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A read-only page shows the content, not the form's own workflow inputs.
        form_only = {"edit_version", "transition_comment"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in form_only]})
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    # --- Saving: the edit lock, state moves and their log ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Another save landed between this form's check and its write; the
            # transaction and revision were rolled back. Run the view again: the
            # form now sees the new version and shows the conflict page.
            return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = self._state_before(request, obj) if change else None
        from_status = before["status"] if before else ""
        if change:
            posted = form.cleaned_data.get("edit_version")
            edit_version_claim(obj=obj, expected=form.base_version if posted is None else posted)
            if getattr(request, "_workflow_restoring", False):
                # Restoring text never changes who can see the page: states move only by moves.
                obj.status, obj.published_at = before["status"], before["published_at"]
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
        action = request.POST.get("_workflow", "")
        if action:
            self._run_button(request, form.instance, action, form.cleaned_data.get("transition_comment", ""))

    def _run_button(self, request, obj, action, comment):
        try:
            if action == "mark_reviewed":
                content_mark_reviewed(obj=obj, by=request.user, comment=comment)
                messages.success(request, "Marked medically reviewed.")
            elif action in Status.values:
                content_transition(obj=obj, to_status=action, by=request.user, comment=comment)
                messages.success(request, f"Now {Status(action).label.lower()}.")
            else:
                raise ValidationError("Unknown workflow button.")
        except ValidationError as error:
            messages.error(request, f"Saved, but not moved: {' '.join(error.messages)}")

    # --- Restore and recover: states stay as they are ---

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        request._workflow_state_before = {"status": obj.status, "published_at": obj.published_at}
        request._workflow_restoring = True
        return super().revision_view(request, object_id, version_id, extra_context)

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
        done = 0
        for obj in queryset:
            try:
                content_mark_reviewed(obj=obj, by=request.user, comment="Bulk action")
                done += 1
            except (PermissionDenied, ValidationError) as error:
                messages.warning(request, f"“{obj}” not marked: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(request, f"{done} marked medically reviewed.")

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
            if self.has_change_permission(request, obj):
                extra["workflow_buttons"] = self._buttons(request, obj)
            extra["review_overdue"] = obj.next_review_due is not None and obj.next_review_due < timezone.localdate()
        if getattr(form, "conflict", None):
            extra["conflict"] = self._conflict_details(obj, form)
        context.update(extra)
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if extra.get("conflict"):
            response.status_code = 409
        return response

    def _buttons(self, request, obj):
        buttons = [(move, MOVE_LABELS[move]) for move in roles.allowed_moves(request.user, obj)]
        if roles.can_review(request.user, obj) and obj.author_id != request.user.pk:
            buttons.append(("mark_reviewed", "Mark medically reviewed"))
        return buttons

    def _conflict_details(self, obj, form):
        saved = type(obj)._base_manager.get(pk=obj.pk)
        latest = Version.objects.get_for_object(saved).select_related("revision__user").first()
        diffs = []
        for name in self.conflict_fields:
            yours = form.data.get(form.add_prefix(name), "")
            theirs = getattr(saved, name) or ""
            if as_text(theirs) != as_text(yours):
                diffs.append(
                    {"label": form.fields[name].label or name, "html": word_diff(as_text(theirs), as_text(yours))}
                )
        return {
            "saved_by": latest.revision.user if latest else None,
            "saved_at": latest.revision.date_created if latest else saved.updated_at,
            "diffs": diffs,
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
