from dal import autocomplete
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from reversion import is_registered, register
from taggit.models import Tag, TaggedItem

from articles.counts import article_items
from articles.models import Article, Category, FaqItem, PinnedLink, Reference, TagAlias
from articles.related import see_also_for
from articles.tags import tag_merge, tags_delete_unused
from changelog.admin import ChangeNoteInline
from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin, CleanInitialDataMixin, is_searchable
from workflow import columns
from workflow.changelist import YearProbingChangeList
from workflow.content_admin import WorkflowAdmin
from workflow.forms import WorkflowForm


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
        if not is_searchable(self.q):
            return tags.none()
        if self.q:
            tags = tags.filter(name__icontains=self.q)
        return tags

    def get_result_value(self, result):
        return result.name


class TagAutocompleteWidget(autocomplete.TaggitSelect2):
    """Tag box: existing tags are offered first, the typed text as a new tag last."""

    @property
    def media(self):
        # Naming select2 first makes Django's media merge keep this script after it.
        after = ["admin/js/vendor/select2/select2.full.js"]
        return super().media + forms.Media(js=[*after, "articles/tag-autocomplete.js"])


class ArticleForm(WorkflowForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "summary", "body", "category", "tags", "drugs", "status", "published_at",
            "author", "reviewed_by", "last_reviewed", "next_review_due",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "tags": TagAutocompleteWidget(
                url="admin:articles_article_tag_autocomplete",
                attrs={"data-placeholder": "Type to find or add tags", "style": "min-width: 30em"},
            ),
        }


class PinnedLinkInline(CheckedRelationsMixin, admin.TabularInline):
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
    fields = [("title", "publisher"), ("year", "accessed"), "url", ("doi", "pmid", "spl_set_id"), "position"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class FaqItemInline(admin.StackedInline):
    """Questions and answers at the end of the article (and in its FAQPage data); kept in its revisions."""

    model = FaqItem
    extra = 0
    fields = ["question", "answer", "position"]
    verbose_name = "question and answer"
    verbose_name_plural = "Questions and answers (shown at the end of the article)"


class ArticleTagFilter(admin.SimpleListFilter):
    """Tags that at least one article carries, by name; choosing one keeps the articles carrying it.

    Django's own filter on ``tags`` joins every article to its tag rows, so the list must be made DISTINCT over
    whole rows, bodies included (about 100 ms a query, three queries, for a tag on 47,000 of 100,000 articles).
    Here each tag is asked whether an article carries it, and each article whether it carries the chosen tag:
    no join, no DISTINCT.
    """

    title = "tags"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        carried = article_items().filter(tag=OuterRef("pk"))
        return [(tag.pk, tag.name) for tag in Tag.objects.filter(Exists(carried)).order_by("name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            raise IncorrectLookupParameters(f"Not a tag: {self.value()!r}")
        carries = article_items().filter(tag_id=int(self.value()), object_id=OuterRef("pk"))
        return queryset.filter(Exists(carries))


class ArticleChangeList(YearProbingChangeList):
    """The article list, with each listed article's tag names (``tag_names``) read in one query.

    Not a ``prefetch_related`` of the generic relation: Django's prefetch
    builds a filtered queryset for each of the 50 articles to hold its rows,
    about a tenth of the list's server time at 100,000 articles.
    """

    def get_results(self, request):
        super().get_results(request)
        articles = list(self.result_list)
        names: dict[int, list[str]] = {article.pk: [] for article in articles}
        tagged = article_items().filter(object_id__in=names).order_by("tag__name")
        for article_id, name in tagged.values_list("object_id", "tag__name"):
            names[article_id].append(name)
        for article in articles:
            article.tag_names = names[article.pk]


@admin.register(Article)
class ArticleAdmin(WorkflowAdmin):
    form = ArticleForm
    # Fits beside the filters at 1280 px: state over publish time, category over tags (workflow.columns).
    list_display = [
        "title", "state_column", "filed_column", "author", "review_column", "updated_column", "preview_link",
    ]  # fmt: skip
    list_filter = ["status", "category", ArticleTagFilter, "author"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "author", "drugs", "reviewed_by", "featured_image"]
    inlines = [PinnedLinkInline, ReferenceInline, FaqItemInline, ChangeNoteInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "featured_image", "body", "edit_version"]}),
        ("Search engines", {"fields": ["seo_title", "meta_description"]}),
        ("Filing", {"fields": ["category", "tags", "drugs"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "transition_comment"]}),
        ("Medical review", {"fields": ["reviewed_by", "last_reviewed", "next_review_due"]}),
        ("See also", {"fields": ["see_also_preview"]}),
    ]
    readonly_fields = ["see_also_preview"]
    compare_fields = {
        "title": "Title",
        "slug": "Address (slug)",
        "summary": "Summary",
        "body": "Body",
        "category": "Category",
        "drugs": "Drugs",
        "status": "Status",
        "published_at": "Publish time",
        "author": "Author",
        "reviewed_by": "Medically reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Next review due",
    }
    conflict_fields = ["title", "summary", "body"]

    def reversion_register(self, model, **kwargs):
        # Tags are rows of taggit's generic table: follow them so a revision keeps them.
        if model is Article:
            kwargs["follow"] = (*kwargs.get("follow", ()), "tagged_items")
            if not is_registered(TaggedItem):
                register(TaggedItem)
        super().reversion_register(model, **kwargs)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

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

    @admin.display(description="filed", ordering="category__name")
    def filed_column(self, article):
        return columns.two_lines(
            article.category.name,
            columns.names_cell(article.tag_names, shown=1),
        )

    @admin.display(description="review", ordering="next_review_due")
    def review_column(self, article):
        return columns.review_cell(article)

    @admin.display(description="updated", ordering="updated_at")
    def updated_column(self, article):
        return columns.short_date(article.updated_at)


@admin.register(Category)
class CategoryAdmin(BoundedSearchMixin, CleanInitialDataMixin, CheckedRelationsMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "position", "featured", "view_link"]
    list_editable = ["position", "featured"]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    @admin.display(description="")
    def view_link(self, category):
        return format_html('<a href="{}">View</a>', reverse("articles:category", kwargs={"slug": category.slug}))


# --- Tags: publishers rename, merge, alias and clear them out ---


class TagAliasInline(CheckedRelationsMixin, admin.TabularInline):
    model = TagAlias
    fk_name = "main"
    extra = 0
    autocomplete_fields = ["tag"]
    verbose_name = "alias"
    verbose_name_plural = "Aliases: other names for this tag (their pages list this tag's articles too)"


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(f"“{clash.name}” already exists (tags ignore case). Merge into it instead.")
        return name


class TagUsageFilter(admin.SimpleListFilter):
    title = "usage"
    parameter_name = "usage"

    def lookups(self, request, model_admin):
        return [("unused", "Unused"), ("used", "Used")]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.filter(article_count=0)
        if self.value() == "used":
            return queryset.filter(article_count__gt=0)
        return queryset


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Tags for publishers: rename (the old address redirects), merge, aliases, unused tags."""

    form = TagForm
    list_display = ["name", "slug", "article_count", "alias_of_main"]
    list_filter = [TagUsageFilter]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TagAliasInline]
    actions = ["merge_tags", "delete_unused"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("taggit_taggeditem_items", distinct=True))
            .select_related("alias_of__main")
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    @admin.display(description="alias of")
    def alias_of_main(self, tag):
        alias = getattr(tag, "alias_of", None)
        return alias.main.name if alias else ""

    @admin.action(description="Merge selected tags into one…", permissions=["change"])
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("-article_count", "name"))
        if len(tags) < 2:
            self.message_user(request, "Select two or more tags to merge.", messages.WARNING)
            return None
        survivor_id = request.POST.get("survivor")
        if survivor_id and request.POST.get("confirm"):
            survivor = next((tag for tag in tags if str(tag.pk) == survivor_id), None)
            if survivor is None:
                self.message_user(request, "Choose the tag to keep from the selected ones.", messages.ERROR)
            else:
                moved = tag_merge(survivor=survivor, others=[tag for tag in tags if tag.pk != survivor.pk])
                self.message_user(
                    request,
                    f"Merged {len(tags) - 1} tag(s) into “{survivor.name}” ({moved} article tag(s) moved); "
                    "their old addresses now redirect to it.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.model._meta,
            "tags": tags,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)

    @admin.action(description="Delete the unused ones among selected", permissions=["delete"])
    def delete_unused(self, request, queryset):
        count = tags_delete_unused(tags=Tag.objects.filter(pk__in=queryset.values("pk")))
        self.message_user(request, f"Deleted {count} unused tag(s).", messages.SUCCESS)
