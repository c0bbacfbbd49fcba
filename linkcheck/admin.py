"""The broken-links report: each broken address, since when, why, and the pages that use it."""

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from linkcheck.models import BrokenLink, LinkCheck, LinkUse
from security.admin_inputs import BoundedSearchMixin, ReadOnlyMixin


class ReadOnlyAdmin(ReadOnlyMixin, BoundedSearchMixin, admin.ModelAdmin):
    pass


@admin.register(BrokenLink)
class BrokenLinkAdmin(ReadOnlyAdmin):
    list_display = ["address", "error", "status_code", "first_broken_at", "last_checked_at", "pages"]
    list_display_links = None
    search_fields = ["url"]
    list_per_page = 50

    def get_queryset(self, request):
        uses = LinkUse.objects.select_related("content_type").order_by("page_title", "pk")
        return super().get_queryset(request).prefetch_related(Prefetch("uses", queryset=uses))

    @admin.display(description="address", ordering="url")
    def address(self, obj):
        redirected = format_html("<br><small>redirects to {}</small>", obj.final_url) if obj.redirected else ""
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>{}', obj.url, obj.url, redirected)

    @admin.display(description="used on")
    def pages(self, obj):
        return format_html(
            '<ul class="linkcheck-pages">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse(
                            f"admin:{use.content_type.app_label}_{use.content_type.model}_change", args=[use.object_id]
                        ),
                        use.page_title,
                        use.get_where_display().lower(),
                    )
                    for use in obj.uses.all()
                ),
            ),
        )


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyAdmin):
    list_display = ["url", "state", "status_code", "final_url", "last_checked_at"]
    list_filter = ["state"]
    search_fields = ["url"]
