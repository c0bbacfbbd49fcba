from dal import autocomplete
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from taggit.models import Tag

from articles.models import Article, Category, PinnedLink, Reference
from articles.related import see_also_for


class TagAutocompleteView(autocomplete.Select2QuerySetView):
    """Existing tag names for the article form's tag box, best match first.

    The value is the tag's name because taggit's form field takes names;
    typing a name that does not exist yet adds it as a new tag.
    """

    paginate_by = 20

    def has_permission(self):
        user = self.request.user
        return user.has_perm("articles.add_article") or user.has_perm("articles.change_article")

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        tags = Tag.objects.order_by("name")
        if self.q:
            tags = tags.filter(name__icontains=self.q)
        return tags

    def get_result_value(self, result):
        return result.name


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "category", "tags", "drugs", "status", "published_at",
            "author", "reviewed_by", "last_reviewed", "next_review_due",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "tags": autocomplete.TaggitSelect2(
                url="admin:articles_article_tag_autocomplete",
                attrs={"data-placeholder": "Type to find or add tags", "style": "min-width: 30em"},
            ),
        }


class PinnedLinkInline(admin.TabularInline):
    model = PinnedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "position"]
    verbose_name = "pinned 'See also' article"
    verbose_name_plural = "'See also': pinned articles (shown first, in this order)"


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 0
    fields = [("title", "publisher"), ("year", "accessed"), "url", "position"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "status", "category", "author", "published_at", "tag_list", "updated_at", "preview_link"]
    list_filter = ["status", "category", ("tags", admin.RelatedOnlyFieldListFilter), "author"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "author", "drugs", "reviewed_by"]
    inlines = [PinnedLinkInline, ReferenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Filing", {"fields": ["category", "tags", "drugs"]}),
        ("Publishing", {"fields": ["status", "published_at", "author"]}),
        ("Medical review", {"fields": ["reviewed_by", "last_reviewed", "next_review_due"]}),
        ("See also", {"fields": ["see_also_preview"]}),
    ]
    readonly_fields = ["see_also_preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_urls(self):
        extra = [
            path(
                "tag-autocomplete/",
                self.admin_site.admin_view(TagAutocompleteView.as_view()),
                name="articles_article_tag_autocomplete",
            )
        ]
        return extra + super().get_urls()

    @admin.display(description="What readers see now")
    def see_also_preview(self, article):
        if article.pk is None:
            return "Shown after the first save."
        links = see_also_for(article)
        if not links:
            return "Nothing yet: pin articles below, or add tags that other published articles share."
        return format_html_join("", '<div><a href="{}">{}</a></div>', ((a.get_absolute_url(), a.title) for a in links))

    @admin.display(description="tags")
    def tag_list(self, article):
        return ", ".join(tag.name for tag in article.tags.all())

    @admin.display(description="")
    def preview_link(self, article):
        label = "View" if article.is_public else "Preview"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), label)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "featured", "view_link"]
    list_editable = ["position", "featured"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    @admin.display(description="")
    def view_link(self, category):
        return format_html('<a href="{}">View</a>', reverse("articles:category", kwargs={"slug": category.slug}))
