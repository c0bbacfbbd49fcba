"""The workflow's own admin pages: users with their reviewer credentials, the log, old addresses.

The base for content admins is ``workflow.content_admin.WorkflowAdmin``.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def role_list(self, user):
        names = [group.name for group in user.groups.all()]
        return ", ".join(["Superuser", *names] if user.is_superuser else names)


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    """The workflow log: read only."""

    list_display = ["at", "content_type", "object_id", "kind", "from_status", "to_status", "by", "comment"]
    list_filter = ["kind", "to_status", "content_type"]
    list_select_related = ["content_type", "by"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
