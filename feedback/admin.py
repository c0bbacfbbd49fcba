from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from feedback.models import Feedback
from publishing.registry import publishable_models
from security.admin_inputs import BoundedSearchMixin
from workflow.roles import can_publish


def may_read_feedback(user) -> bool:
    """Whoever may see a content type's pages in the admin may read what readers said about them."""
    opts = [model._meta for model in publishable_models()]
    return user.is_active and user.is_staff and any(user.has_perm(f"{o.app_label}.view_{o.model_name}") for o in opts)


@admin.register(Feedback)
class FeedbackAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Readers' answers, newest first: read only; publishers may delete abuse."""

    list_display = ["created_at", "page_link", "answer", "comment"]
    list_filter = ["helpful", "content_type", "created_at"]
    list_select_related = ["content_type"]
    search_fields = ["comment"]
    date_hierarchy = "created_at"
    fields = ["page_link", "answer", "comment", "created_at"]
    readonly_fields = fields
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("page")

    @admin.display(description="page")
    def page_link(self, obj):
        page = obj.page
        if page is None:
            return "(deleted)"
        opts = page._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])
        except NoReverseMatch:
            return str(page)
        return format_html('<a href="{}">{}</a>', url, getattr(page, page.title_field, str(page)))

    @admin.display(description="helpful?", boolean=True, ordering="helpful")
    def answer(self, obj):
        return obj.helpful

    def has_module_permission(self, request):
        return may_read_feedback(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_feedback(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        """Publishers remove abuse (anything but answers about pages) from what editors read."""
        return any(can_publish(request.user, model) for model in publishable_models())
