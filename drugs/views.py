import string
from collections import defaultdict

from django.db.models import Prefetch
from django.db.models.functions import Substr, Upper
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, TemplateView

from drugs.models import (
    Condition,
    Drug,
    DrugClass,
    DrugName,
    DrugUse,
    Interaction,
    NameKind,
    Seriousness,
    Topic,
)
from drugs.selectors import MAX_DRUGS, check_interactions, groups_with_drug_counts, split_names
from publishing.views import PreviewableMixin
from workflow.views import moved_or_gone

ARTICLES_ON_PAGE = 20
LETTERS = string.ascii_uppercase


def articles_about(*, drug_ids):
    """Published articles covering any of these drugs, as cards (one query, plus one for their tags).

    The articles app links articles to drugs and stands above this app, so
    its model is reached through that relation instead of an import; a site
    without it lists no articles on drug pages.
    """
    relation = getattr(Drug, "articles", None)
    if relation is None:
        return []
    articles = relation.rel.related_model._default_manager
    return (
        articles.published()
        .filter(drugs__in=drug_ids)
        .distinct()
        .for_listing()
        .with_featured_image()[:ARTICLES_ON_PAGE]
    )


def index_crumb() -> tuple[str, str]:
    return ("Drugs A–Z", reverse("drugs:index"))


class DrugPreviewMixin(PreviewableMixin):
    """Readers see published drugs; staff with ``drugs.view_drug`` may preview the rest."""

    model = Drug

    def base_queryset(self):
        return Drug.objects.for_page()


class DrugDetailView(DrugPreviewMixin, DetailView):
    """A drug's monograph. Any other name's slug (``/drugs/imuran/``) redirects here."""

    template_name = "drugs/drug_detail.html"
    context_object_name = "drug"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_other_name()
        return self.render_to_response(self.get_context_data(object=self.object))

    def redirect_from_other_name(self):
        moved = moved_or_gone(
            self.request, queryset=Drug.objects.only("pk", "slug", "status", "published_at"), slug=self.kwargs["slug"]
        )
        if moved is not None:
            return moved
        slug = self.kwargs["slug"].lower()
        drugs = Drug.objects.all() if self.can_preview() else Drug.objects.published()
        drug = drugs.filter(slug=slug).first() if slug != self.kwargs["slug"] else None
        if drug is None:
            drug = get_object_or_404(DrugName.objects.select_related("drug"), slug=slug, drug__in=drugs).drug
        if drug.is_public:
            return HttpResponsePermanentRedirect(drug.get_absolute_url())
        response = HttpResponseRedirect(drug.get_absolute_url())
        patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drug = self.object
        names = list(drug.names.all())
        side_effects = list(drug.side_effects.all())
        serious = sorted(
            (effect for effect in side_effects if effect.is_serious),
            key=lambda effect: (Seriousness.rank_of(effect.seriousness), effect.name.casefold()),
        )
        interactions = (
            Interaction.objects.involving(drug).public_beside(drug).select_related("drug_a", "drug_b", "drug_class")
        )
        rows = []
        for interaction in interactions:
            label, url = interaction.other_side(drug)
            rows.append({"interaction": interaction, "label": label, "url": url})
        rows.sort(key=lambda row: (row["interaction"].severity_rank, row["label"].casefold()))
        precautions = defaultdict(list)
        for precaution in drug.precautions.all():
            precautions[precaution.topic].append(precaution)
        uses = list(drug.uses.all())
        context.update(
            is_preview=not drug.is_public,
            brand_names=[name for name in names if name.kind == NameKind.BRAND],
            other_names=[name for name in names if name.kind != NameKind.BRAND],
            classes=list(drug.classes.all()),
            on_label_uses=[use for use in uses if use.on_label],
            off_label_uses=[use for use in uses if not use.on_label],
            common_side_effects=[effect for effect in side_effects if effect.is_common and not effect.is_serious],
            serious_side_effects=serious,
            other_side_effects=[effect for effect in side_effects if not effect.is_common and not effect.is_serious],
            precaution_groups=[(topic.label, precautions[topic]) for topic in Topic if precautions[topic]],
            interactions=rows,
            articles=articles_about(drug_ids=[drug.pk]),
            references=list(drug.references.all()),
            breadcrumbs=[index_crumb(), (drug.display_name, None)],
        )
        return context


class DrugIndexView(TemplateView):
    """Drugs A–Z: generic names and other names, each leading to the drug; ``?letter=A`` narrows it."""

    template_name = "drugs/drug_index.html"

    def get(self, request, *args, **kwargs):
        letter = request.GET.get("letter", "").strip().upper()
        if letter and (len(letter) != 1 or letter not in LETTERS):
            raise Http404("Choose a letter from A to Z.")
        self.letter = letter
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Drug.objects.published()
        drugs = published.only("generic_name", "slug")
        names = (
            DrugName.objects.filter(drug__in=published.values("pk"))
            .select_related("drug")
            .only("name", "kind", "drug__generic_name", "drug__slug")
        )
        if self.letter:
            drugs = drugs.filter(generic_name__istartswith=self.letter)
            names = names.filter(name__istartswith=self.letter)
        entries = [{"label": drug.display_name, "url": drug.get_absolute_url(), "drug": None} for drug in drugs]
        entries += [{"label": name.name, "url": name.drug.get_absolute_url(), "drug": name.drug} for name in names]
        entries.sort(key=lambda entry: entry["label"].casefold())
        groups = defaultdict(list)
        for entry in entries:
            initial = entry["label"][:1].upper()
            groups[initial if initial in LETTERS else "#"].append(entry)
        initials = {
            initial
            for queryset, column in ((published, "generic_name"), (DrugName.objects.filter(drug__in=published), "name"))
            for initial in queryset.annotate(initial=Upper(Substr(column, 1, 1)))
            .order_by()
            .values_list("initial", flat=True)
            .distinct()
        }
        context.update(
            letter=self.letter,
            letters=[(each, each in initials) for each in LETTERS],
            groups=sorted(groups.items(), key=lambda item: (item[0] == "#", item[0])),
            breadcrumbs=[("Drugs A–Z", reverse("drugs:index") if self.letter else None)]
            + ([(self.letter, None)] if self.letter else []),
        )
        return context


def by_initial(groups) -> list[tuple[str, list]]:
    """``groups`` (sorted by name) under their initial letter, "#" for names that start otherwise, last."""
    found = defaultdict(list)
    for group in groups:
        initial = group.name[:1].upper()
        found[initial if initial in LETTERS else "#"].append(group)
    return sorted(found.items(), key=lambda item: (item[0] == "#", item[0]))


class DrugGroupIndexView(TemplateView):
    """Drug classes or conditions A-Z, each with how many published drugs it has (one query)."""

    template_name = "drugs/drug_group_index.html"
    model = None
    title = ""
    lead = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = list(groups_with_drug_counts(self.model))
        sections = by_initial(groups)
        initials = {initial for initial, _ in sections}
        context.update(
            title=self.title,
            lead=self.lead,
            groups=groups,
            sections=sections,
            letters=[(each, each in initials) for each in LETTERS],
            breadcrumbs=[(self.title, None)],
        )
        return context


class DrugClassIndexView(DrugGroupIndexView):
    model = DrugClass
    title = "Drug classes"
    lead = "Medicines grouped by how they work or what they treat, with the number of drug pages in each class."


class ConditionIndexView(DrugGroupIndexView):
    model = Condition
    title = "Conditions"
    lead = "Health conditions A to Z, with the number of medicines we describe for each."


class DrugClassDetailView(DetailView):
    model = DrugClass
    template_name = "drugs/drug_class_detail.html"
    context_object_name = "drug_class"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["drugs"] = self.object.drugs.published().prefetch_related(
            Prefetch("names", queryset=DrugName.objects.filter(kind=NameKind.BRAND), to_attr="brand_names")
        )
        context["breadcrumbs"] = [("Drug classes", reverse("drugs:class-index")), (self.object.name, None)]
        return context


class ConditionDetailView(DetailView):
    model = Condition
    template_name = "drugs/condition_detail.html"
    context_object_name = "condition"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Drug.objects.published()
        uses = list(
            DrugUse.objects.filter(condition=self.object, drug__in=published.values("pk"))
            .select_related("drug")
            .order_by("-on_label", "drug__generic_name")
        )
        context["on_label_uses"] = [use for use in uses if use.on_label]
        context["off_label_uses"] = [use for use in uses if not use.on_label]
        # Articles reach a condition through the drugs used for it.
        context["articles"] = articles_about(drug_ids=published.filter(uses__condition=self.object).values("pk"))
        context["breadcrumbs"] = [("Conditions", reverse("drugs:condition-index")), (self.object.name, None)]
        return context


def interaction_checker(request):
    """Known interactions among two or more drugs named by the reader (``?drugs=a,b`` or ``?drug=a&drug=b``)."""
    values = request.GET.getlist("drug") + request.GET.getlist("drugs")
    result = check_interactions(split_names(values))
    blanks = max(2, min(MAX_DRUGS, len(result.entered) + 1)) - len(result.entered)
    context = {
        "result": result,
        "fields": result.entered + [""] * max(0, blanks),
        "max_drugs": MAX_DRUGS,
        "breadcrumbs": [index_crumb(), ("Interaction checker", None)],
    }
    return render(request, "drugs/interaction_checker.html", context, status=400 if result.bad_request else 200)
