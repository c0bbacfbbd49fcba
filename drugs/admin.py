import re
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from changelog.admin import ChangeNoteInline
from drugs.models import (
    Availability,
    Condition,
    Drug,
    DrugClass,
    DrugName,
    DrugReference,
    DrugUse,
    Interaction,
    Precaution,
    SideEffect,
)
from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin, CleanInitialDataMixin
from workflow import columns
from workflow.content_admin import ReviewDueFilter, WorkflowAdmin
from workflow.forms import WorkflowForm

# The autocomplete parameter naming the drug an interaction picker leaves out.
OTHER_THAN = "other_than"

# Addresses typed without a scheme are taken as https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class DistinctRowsFormSet(forms.BaseInlineFormSet):
    """An inline formset that refuses two rows with the same key in one submission.

    The database constraints behind these keys use expressions or conditions,
    which Django's formset-level unique check does not see; without this the
    second row would reach the database and fail there.
    """

    duplicate_message = "This row repeats another one."

    def row_key(self, cleaned_data):
        raise NotImplementedError

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            key = self.row_key(form.cleaned_data)
            if key is None:
                continue
            if key in seen:
                form.add_error(None, self.duplicate_message)
                raise ValidationError(self.duplicate_message)
            seen.add(key)


class DrugNameFormSet(DistinctRowsFormSet):
    duplicate_message = "The same name is entered twice."

    def row_key(self, cleaned_data):
        name = (cleaned_data.get("name") or "").strip().lower()
        return name or None


class InteractionFormSet(DistinctRowsFormSet):
    duplicate_message = "The same interaction is entered twice. Keep one row for it."

    def row_key(self, cleaned_data):
        drug_b, drug_class = cleaned_data.get("drug_b"), cleaned_data.get("drug_class")
        substance = cleaned_data.get("substance")
        if drug_b:
            return ("drug", drug_b.pk)
        if drug_class:
            return ("class", drug_class.pk)
        if substance:
            return ("substance", substance)
        return None


class DrugNameInline(admin.TabularInline):
    model = DrugName
    formset = DrugNameFormSet
    extra = 0
    fields = ["name", "kind", "slug"]


class DrugUseInline(CheckedRelationsMixin, admin.TabularInline):
    model = DrugUse
    extra = 0
    autocomplete_fields = ["condition"]
    fields = ["condition", "on_label", "note"]


class SideEffectInline(admin.TabularInline):
    model = SideEffect
    extra = 0
    fields = ["name", "frequency", "seriousness", "what_to_do"]
    formfield_overrides = {
        # Tabular rows stay readable with a short box.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }


class PrecautionInline(admin.TabularInline):
    model = Precaution
    extra = 0
    fields = ["topic", "text"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class InteractionInline(CheckedRelationsMixin, admin.StackedInline):
    model = Interaction
    formset = InteractionFormSet
    fk_name = "drug_a"
    extra = 0
    formfield_overrides = HTTPS_URLS
    autocomplete_fields = ["drug_b", "drug_class"]
    fields = [
        ("drug_b", "drug_class", "substance"),
        "severity",
        "what_happens",
        "what_to_do",
        ("reference_title", "reference_url"),
    ]
    verbose_name = "interaction"
    verbose_name_plural = (
        "Interactions (one record serves both drugs: a pair may move to the other drug's list once saved)"
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk is not None:
            # The "other drug" box leaves out this drug (DrugAdmin.get_search_results reads the address).
            box = formset.form.base_fields["drug_b"].widget
            picker = getattr(box, "widget", box)  # inside the admin's add/change links wrapper
            picker.get_url = partial(_url_without, picker.get_url, obj.pk)
        return formset


def _url_without(get_url, pk) -> str:
    return f"{get_url()}?{urlencode({OTHER_THAN: pk})}"


class InteractionOnOtherDrugInline(admin.TabularInline):
    """Pairs stored with this drug second: shown here so the editor sees every interaction."""

    model = Interaction
    fk_name = "drug_b"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["drug_a", "severity", "what_happens"]
    readonly_fields = fields
    verbose_name = "interaction recorded with the other drug"
    verbose_name_plural = "Interactions recorded with the other drug (open one to edit it)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("drug_a")

    def has_change_permission(self, request, obj=None):
        # Edited on its own page (the change link), where both drugs are shown.
        return False


class DrugReferenceInline(admin.StackedInline):
    model = DrugReference
    extra = 0
    formfield_overrides = HTTPS_URLS
    fields = [("title", "publisher"), ("year", "accessed"), "url", ("doi", "pmid", "spl_set_id"), "position"]


class DrugForm(WorkflowForm):
    class Meta:
        model = Drug
        fields = "__all__"


@admin.register(Drug)
class DrugAdmin(WorkflowAdmin):
    form = DrugForm
    # Fits beside the filters at 1280 px: state over publish time, review due over last review (workflow.columns).
    list_display = [
        "generic_name",
        "other_names",
        "state_column",
        "availability_column",
        "review_column",
        "updated_column",
        "preview_link",
    ]
    list_filter = ["status", "availability", "classes", ReviewDueFilter]
    list_select_related = ["reviewed_by"]
    search_fields = ["generic_name", "names__name", "slug"]
    prepopulated_fields = {"slug": ["generic_name"]}
    autocomplete_fields = ["classes", "author", "reviewed_by", "featured_image"]
    date_hierarchy = "published_at"
    inlines = [
        DrugNameInline,
        DrugUseInline,
        SideEffectInline,
        PrecautionInline,
        InteractionInline,
        InteractionOnOtherDrugInline,
        DrugReferenceInline,
        ChangeNoteInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "generic_name",
                    "slug",
                    "summary",
                    "featured_image",
                    "availability",
                    "classes",
                    "boxed_warning",
                    "edit_version",
                ]
            },
        ),
        ("Search engines", {"fields": ["seo_title", "meta_description"]}),
        ("How it works", {"fields": ["mechanism", "absorption", "metabolism", "excretion"]}),
        ("Codes", {"fields": ["rxcui", "atc_code"], "classes": ["collapse"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "transition_comment"]}),
        ("Medical review", {"fields": ["reviewed_by", "last_reviewed", "next_review_due"]}),
    ]
    compare_fields = {
        "generic_name": "Generic name",
        "slug": "Address (slug)",
        "summary": "Summary",
        "availability": "Availability",
        "classes": "Drug classes",
        "boxed_warning": "Boxed warning",
        "mechanism": "How it works",
        "absorption": "Absorption",
        "metabolism": "Metabolism",
        "excretion": "Excretion",
        "rxcui": "RxNorm RxCUI",
        "atc_code": "ATC code",
        "status": "Status",
        "published_at": "Publish time",
        "author": "Author",
        "reviewed_by": "Medically reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Next review due",
    }
    conflict_fields = ["summary", "boxed_warning", "mechanism", "absorption", "metabolism", "excretion"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        # A drug page's interaction picker asks for drugs other than the page's own.
        other_than = request.GET.get(OTHER_THAN, "")
        autocomplete = getattr(request.resolver_match, "url_name", "") == "autocomplete"
        if autocomplete and re.fullmatch(r"[0-9]{1,18}", other_than):
            queryset = queryset.exclude(pk=int(other_than))
        return queryset, distinct

    @admin.display(description="other names")
    def other_names(self, drug):
        return columns.names_cell([name.name for name in drug.names.all()])

    @admin.display(description="supply", ordering="availability")
    def availability_column(self, drug):
        return {Availability.PRESCRIPTION: "Rx", Availability.OTC: "OTC", Availability.BOTH: "Rx, OTC"}.get(
            drug.availability, drug.get_availability_display()
        )

    @admin.display(description="review", ordering="next_review_due")
    def review_column(self, drug):
        return columns.review_cell(drug)

    @admin.display(description="updated", ordering="updated_at")
    def updated_column(self, drug):
        return columns.short_date(drug.updated_at)


@admin.register(DrugClass)
class DrugClassAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Interaction)
class InteractionAdmin(BoundedSearchMixin, CleanInitialDataMixin, CheckedRelationsMixin, admin.ModelAdmin):
    """Every interaction in one list; the drug page's inline is the usual way in."""

    list_display = ["__str__", "severity", "drug_a", "drug_b", "drug_class", "substance"]
    list_filter = ["severity", "substance"]
    list_select_related = ["drug_a", "drug_b", "drug_class"]
    search_fields = ["drug_a__generic_name", "drug_b__generic_name", "drug_class__name"]
    autocomplete_fields = ["drug_a", "drug_b", "drug_class"]
    formfield_overrides = HTTPS_URLS
    fields = [
        "drug_a",
        ("drug_b", "drug_class", "substance"),
        "severity",
        "what_happens",
        "what_to_do",
        ("reference_title", "reference_url"),
    ]
