from django import forms
from django.contrib import admin
from django.utils.html import format_html

from pages.models import Page
from workflow.content_admin import WorkflowAdmin
from workflow.forms import WorkflowForm


class PageForm(WorkflowForm):
    class Meta:
        model = Page
        fields = [
            "title", "segment", "parent", "position", "summary", "body",
            "show_in_header", "show_in_footer", "nav_label", "nav_order",
            "seo_title", "meta_description",
            "status", "published_at", "expires_at", "author", "reviewed_by", "last_reviewed", "next_review_due",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


@admin.register(Page)
class PageAdmin(WorkflowAdmin):
    form = PageForm
    list_display = [
        "title", "address", "state_column", "navigation", "position", "review_state", "updated_at", "preview_link",
    ]  # fmt: skip
    list_filter = ["status", "show_in_header", "show_in_footer", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "slug"]
    ordering = ["slug"]
    prepopulated_fields = {"segment": ["title"]}
    autocomplete_fields = ["parent", "author", "reviewed_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "segment",
                    "parent",
                    "address_display",
                    "position",
                    "summary",
                    "body",
                    "edit_version",
                ]
            },
        ),
        (
            "Navigation",
            {
                "fields": ["show_in_header", "show_in_footer", "nav_label", "nav_order"],
                "description": "Place the page in the links at the top or bottom of every page. "
                "Only published pages are shown there.",
            },
        ),
        ("Search engines", {"fields": ["seo_title", "meta_description"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "transition_comment"]}),
        ("Medical review", {"fields": ["reviewed_by", "last_reviewed", "next_review_due"]}),
    ]
    readonly_fields = ["address_display"]
    compare_fields = {
        "title": "Title",
        "segment": "Slug",
        "parent": "Parent page",
        "position": "Position",
        "summary": "Summary",
        "body": "Body",
        "show_in_header": "In the header",
        "show_in_footer": "In the footer",
        "nav_label": "Navigation label",
        "nav_order": "Navigation order",
        "status": "Status",
        "published_at": "Publish time",
        "author": "Author",
        "reviewed_by": "Medically reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Next review due",
    }
    conflict_fields = ["title", "summary", "body"]

    @admin.display(description="address", ordering="slug")
    def address(self, page):
        return f"/{page.slug}/"

    @admin.display(description="address")
    def address_display(self, page):
        if page is None or page.pk is None:
            return "Made from the parent page's address and the slug when you save."
        return format_html('<a href="{}">/{}/</a>', page.get_absolute_url(), page.slug)

    @admin.display(description="navigation")
    def navigation(self, page):
        places = [name for name, shown in (("header", page.show_in_header), ("footer", page.show_in_footer)) if shown]
        return ", ".join(places) or "—"
