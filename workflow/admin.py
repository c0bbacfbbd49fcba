"""The workflow's own admin pages: users with their reviewer credentials, the log, old addresses.

The base for content admins is ``workflow.content_admin.WorkflowAdmin``.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin, ReadOnlyMixin
from workflow import roles
from workflow.models import ReviewerProfile, SlugRedirect, Transition


class ReviewerProfileInline(admin.StackedInline):
    model = ReviewerProfile
    can_delete = True
    extra = 0
    max_num = 1
    verbose_name_plural = "Medical reviewer credentials (shown to readers on the pages they review)"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BoundedSearchMixin, CheckedRelationsMixin, BaseUserAdmin):
    inlines = [*BaseUserAdmin.inlines, ReviewerProfileInline]
    list_display = [*BaseUserAdmin.list_display, "role_list"]

    # A people box (author, medical reviewer) searches names only: e-mail addresses stay with those who see the users.
    people_search_fields = ["username", "first_name", "last_name"]

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        picking = self._picking_for(request)
        if picking is not None:
            users = users.filter(pk__in=roles.people_for(*picking).values("pk"))
        return users

    def has_view_permission(self, request, obj=None):
        # Django's autocomplete asks this admin whether the person filling a people box may list users. Publishers
        # may, for that box only: they see the names of those who may be named there, never the user pages.
        if super().has_view_permission(request, obj):
            return True
        return obj is None and self._picking_for(request) is not None

    def get_search_fields(self, request):
        if self._picking_for(request) is not None:
            return self.people_search_fields
        return super().get_search_fields(request)

    def _picking_for(self, request):
        """``(model, field name)`` when ``request`` is the autocomplete filling a people box the user may set."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name != "autocomplete":
            return None
        try:
            model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        except (KeyError, LookupError, ValueError):
            return None
        field_name = request.GET.get("field_name", "")
        return (model, field_name) if roles.may_pick_people(request.user, model, field_name) else None

    @admin.display(description="roles")
    def role_list(self, user):
        names = [group.name for group in user.groups.all()]
        return ", ".join(["Superuser", *names] if user.is_superuser else names)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The workflow log: read only."""

    list_display = ["at", "content_type", "object_id", "kind", "from_status", "to_status", "by", "comment"]
    list_filter = ["kind", "to_status", "content_type"]
    list_select_related = ["content_type", "by"]
    date_hierarchy = "at"


@admin.register(SlugRedirect)
class SlugRedirectAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Old addresses that answer 301; delete one to let its slug go."""

    list_display = ["old_slug", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["old_slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
