"""The broken-links report: each broken address, since when, why, and the pages that use it."""

from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from linkcheck.models import BrokenLink, LinkCheck, LinkUse
from security.admin_inputs import BoundedSearchMixin, ReadOnlyMixin


def short_date(moment) -> str:
    return date_format(localtime(moment), "j M Y") if moment else "—"


class ReadOnlyAdmin(ReadOnlyMixin, BoundedSearchMixin, admin.ModelAdmin):
    pass


@admin.register(BrokenLink)
class BrokenLinkAdmin(ReadOnlyAdmin):
    # The error already names the HTTP status, so it has no column of its own: the report fits a laptop screen.
    list_display = ["address", "error", "broken_since", "checked", "pages"]
    list_display_links = None
    search_fields = ["url"]
    list_per_page = 50
    pages_shown = 3

    class Media:
        css = {"all": ["linkcheck/report.css"]}

    def get_queryset(self, request):
        uses = LinkUse.objects.select_related("content_type").order_by("page_title", "pk")
        return super().get_queryset(request).prefetch_related(Prefetch("uses", queryset=uses))

    @admin.display(description="address", ordering="url")
    def address(self, obj):
        redirected = format_html("<br><small>redirects to {}</small>", obj.final_url) if obj.redirected else ""
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>{}', obj.url, obj.url, redirected)

    @admin.display(description="broken since", ordering="first_broken_at")
    def broken_since(self, obj):
        return short_date(obj.first_broken_at)

    @admin.display(description="last checked", ordering="last_checked_at")
    def checked(self, obj):
        return short_date(obj.last_checked_at)

    @admin.display(description="used on")
    def pages(self, obj):
        uses = list(obj.uses.all())
        shown = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (self.page_admin_url(use), use.page_title, use.get_where_display().lower())
                for use in uses[: self.pages_shown]
            ),
        )
        more = len(uses) - self.pages_shown
        more_item = format_html("<li>and {} more</li>", more) if more > 0 else ""
        return format_html('<ul class="linkcheck-pages">{}{}</ul>', shown, more_item)

    @staticmethod
    def page_admin_url(use) -> str:
        content_type = use.content_type
        return reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[use.object_id])


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyAdmin):
    list_display = ["url", "state", "status_code", "final_url", "last_checked_at"]
    list_filter = ["state"]
    search_fields = ["url"]
