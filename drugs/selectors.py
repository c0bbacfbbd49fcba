"""Read-only queries behind the public drug pages: name lookup and the interaction checker.

Each function costs a fixed number of queries whatever it is given.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from drugs.models import Drug, DrugName, Interaction
from publishing.models import Status

MAX_DRUGS = 10


def published_through(prefix: str) -> Q:
    """``Drug.objects.published()`` as a condition on drugs reached through ``prefix`` (``"drugs__"``)."""
    now = timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": now}) & (
        Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})
    )


def groups_with_drug_counts(model):
    """Drug classes or conditions that have a published drug, A-Z, each with ``drug_count`` (one query)."""
    count = Count("drugs", filter=published_through("drugs__"), distinct=True)
    return model.objects.annotate(drug_count=count).filter(drug_count__gt=0).order_by("name").only("name", "slug")


MAX_NAME_LENGTH = 100
# Letters (any script), digits, spaces and the punctuation real drug names use.
NAME_PATTERN = re.compile(r"^[^\W_][\w .'’()/+&-]*$")


def published_drugs_by_name(names: list[str]) -> dict[str, Drug]:
    """Map each name's slug to the published drug it names: generic, brand or other name.

    Names are compared by slug, so case, spacing and punctuation do not
    matter ("IMURAN", "imuran", "co trimoxazole"). Two queries.
    """
    slugs = {slugify(name) for name in names} - {""}
    if not slugs:
        return {}
    found = {drug.slug: drug for drug in Drug.objects.published().filter(slug__in=slugs)}
    rest = slugs - found.keys()
    if rest:
        other_names = DrugName.objects.filter(slug__in=rest, drug__in=Drug.objects.published()).select_related("drug")
        found.update({name.slug: name.drug for name in other_names})
    return found


@dataclass
class Finding:
    """One known interaction among the drugs a reader chose."""

    interaction: Interaction
    first: Drug
    second: list  # the other chosen drug, or the chosen members of a class
    via_class: bool = False


@dataclass
class CheckResult:
    entered: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    drugs: list[Drug] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    substance_interactions: list[Interaction] = field(default_factory=list)
    bad_request: bool = False

    @property
    def checked(self) -> bool:
        return len(self.drugs) >= 2 and not self.errors


def split_names(values: list[str]) -> list[str]:
    """Names from ``?drug=a&drug=b`` and ``?drugs=a,b``, trimmed, blanks dropped, order kept."""
    names = []
    for value in values:
        for part in value.split(","):
            part = " ".join(part.split())
            if part:
                names.append(part)
    return names


def check_interactions(names: list[str]) -> CheckResult:
    """Every known interaction among the named drugs, worst first, with messages for bad input."""
    result = CheckResult()
    if len(names) > MAX_DRUGS:
        result.entered = [name[:MAX_NAME_LENGTH] for name in names[:MAX_DRUGS]]
        result.errors.append(f"Choose at most {MAX_DRUGS} drugs at a time. You entered {len(names)}.")
        result.bad_request = True
        return result

    valid = []
    for name in names:
        if len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.match(name) or not slugify(name):
            printable = "".join(char for char in name if char.isprintable())
            shown = printable[:40] + ("…" if len(printable) > 40 else "")
            result.errors.append(f"“{shown}” does not look like a drug name. Use letters, digits and spaces.")
            result.bad_request = True
        else:
            valid.append(name)
    result.entered = valid
    if result.errors:
        return result

    by_slug = published_drugs_by_name(valid)
    chosen: dict[int, Drug] = {}
    entered_as: dict[int, list[str]] = defaultdict(list)
    for name in valid:
        drug = by_slug.get(slugify(name))
        if drug is None:
            if name not in result.unknown:
                result.unknown.append(name)
            continue
        if name.casefold() not in (entered.casefold() for entered in entered_as[drug.pk]):
            entered_as[drug.pk].append(name)
        chosen.setdefault(drug.pk, drug)
    for pk, entered in entered_as.items():
        if len(entered) > 1:
            result.notes.append(
                f"{' and '.join(entered)} are names of the same drug, {chosen[pk].generic_name}: it is checked once."
            )
    result.drugs = list(chosen.values())
    if names and len(result.drugs) < 2:
        result.errors.append(
            "Choose at least two different drugs to check."
            if not result.unknown
            else "We need at least two drugs we know to check for interactions."
        )
        return result
    if len(result.drugs) >= 2:
        result.findings, result.substance_interactions = _interactions_among(result.drugs)
    return result


def _interactions_among(drugs: list[Drug]) -> tuple[list[Finding], list[Interaction]]:
    ids = {drug.pk for drug in drugs}
    by_id = {drug.pk: drug for drug in drugs}
    classes_by_drug: dict[int, set[int]] = defaultdict(set)
    for drug_id, class_id in Drug.classes.through.objects.filter(drug_id__in=ids).values_list(
        "drug_id", "drugclass_id"
    ):
        classes_by_drug[drug_id].add(class_id)
    class_ids = set().union(*classes_by_drug.values()) if classes_by_drug else set()
    candidates = (
        Interaction.objects.filter(
            Q(drug_a__in=ids, drug_b__in=ids)
            | Q(drug_a__in=ids, drug_class__in=class_ids)
            | (Q(drug_a__in=ids) & ~Q(substance=""))
        )
        .select_related("drug_a", "drug_b", "drug_class")
        .worst_first()
    )
    findings, substances = [], []
    for interaction in candidates:
        if interaction.substance:
            substances.append(interaction)
        elif interaction.applies_among(ids, classes_by_drug):
            if interaction.drug_b_id:
                second = [by_id[interaction.drug_b_id]]
            else:
                second = [
                    by_id[pk]
                    for pk in sorted(ids, key=lambda pk: by_id[pk].generic_name)
                    if pk != interaction.drug_a_id and interaction.drug_class_id in classes_by_drug.get(pk, ())
                ]
            findings.append(
                Finding(
                    interaction=interaction,
                    first=by_id[interaction.drug_a_id],
                    second=second,
                    via_class=not interaction.drug_b_id,
                )
            )
    return findings, substances
