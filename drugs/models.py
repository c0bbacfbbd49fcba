"""Drug monographs: one active ingredient per ``Drug``, and what readers need to know about it.

Drugs share their publishing rules with every content type through
``publishing.models.Publishable``: the same states, review fields and
``published()`` queryset method, so "published" means one thing across the
site. Drug classes ("NSAIDs") are kept apart from article categories
("Pain Relief"): a class is a pharmacological fact, a category is editorial
navigation.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest, Least, Lower
from django.utils.text import slugify

from publishing.models import Publishable, PublishableQuerySet
from publishing.models import Reference as BaseReference
from publishing.slug_urls import slug_url

RXCUI_PATTERN = r"^[0-9]{1,10}$"
# A full (level 5) ATC code names one substance: L04AX01 is azathioprine.
ATC_PATTERN = r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$"


class RankedChoices(models.TextChoices):
    """Choices whose declaration order is their rank (first is the most important)."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    @classmethod
    def rank_of(cls, value) -> int:
        return cls(value).rank

    @classmethod
    def ordering(cls, field: str) -> Case:
        """An ORDER BY expression that sorts ``field`` by declaration order."""
        return Case(
            *(When(**{field: member.value}, then=Value(member.rank)) for member in cls),
            default=Value(len(cls)),
            output_field=models.IntegerField(),
        )


class Availability(models.TextChoices):
    PRESCRIPTION = "prescription", "Prescription only"
    OTC = "otc", "Over the counter"
    BOTH = "both", "Over the counter and on prescription"


class DrugClass(models.Model):
    """A pharmacological or therapeutic class, such as "NSAIDs"."""

    name = models.CharField(max_length=120, unique=True, help_text="For example “NSAIDs” or “MAO inhibitors”.")
    slug = models.SlugField(
        "web address", max_length=120, unique=True, help_text="The end of its address: /drug-classes/this-slug/."
    )
    description = models.TextField(blank=True, help_text="Plain text shown at the top of the class page.")

    class Meta:
        ordering = ["name"]
        verbose_name = "drug class"
        verbose_name_plural = "drug classes"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("drugs:class", self.slug)


class Condition(models.Model):
    """A health condition a drug is used for, such as "Rheumatoid arthritis"."""

    name = models.CharField(max_length=120, unique=True, help_text="As readers know it, for example “Gout”.")
    slug = models.SlugField(
        "web address", max_length=120, unique=True, help_text="The end of its address: /conditions/this-slug/."
    )
    description = models.TextField(blank=True, help_text="Plain text shown at the top of the condition page.")

    class Meta:
        ordering = ["name"]
        verbose_name = "condition"
        verbose_name_plural = "conditions"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("drugs:condition", self.slug)


class DrugQuerySet(PublishableQuerySet):
    def for_page(self):
        """A drug with everything its page shows except interactions and articles.

        Each relation costs one query however many rows it has; related
        drugs and articles are filtered to published ones by the view.
        """
        return (
            self.select_related("author", "reviewed_by__reviewer_profile")
            .prefetch_related(
                models.Prefetch("names", queryset=DrugName.objects.order_by("kind", "name")),
                "classes",
                models.Prefetch("uses", queryset=DrugUse.objects.select_related("condition")),
                "side_effects",
                "precautions",
                "references",
            )
            .with_featured_image()
        )


class Drug(Publishable):
    """One active ingredient, named by its generic (non-proprietary) name."""

    generic_name = models.CharField(
        max_length=120,
        unique=True,
        help_text="The generic name in lower case, for example “azathioprine”. Brand names go below.",
    )
    slug = models.SlugField(
        "web address", max_length=120, unique=True, help_text="The end of its address: /drugs/this-slug/."
    )
    summary = models.TextField(
        max_length=500, blank=True, help_text="One or two plain sentences for listings and search engines."
    )
    availability = models.CharField(
        max_length=20,
        choices=Availability.choices,
        default=Availability.PRESCRIPTION,
        help_text="How a reader can get it (in the United States unless the text says otherwise).",
    )
    classes = models.ManyToManyField(
        DrugClass, blank=True, related_name="drugs", verbose_name="drug classes", help_text="Type to find a class."
    )
    conditions = models.ManyToManyField(
        Condition, through="DrugUse", blank=True, related_name="drugs", help_text="What it is used for (below)."
    )
    mechanism = models.TextField(
        "how it works",
        blank=True,
        help_text="Mechanism of action, in plain words. Separate paragraphs by a blank line.",
    )
    absorption = models.TextField(blank=True, help_text="Pharmacokinetics: how it gets into the body.")
    metabolism = models.TextField(blank=True, help_text="Pharmacokinetics: how the body changes it, and where.")
    excretion = models.TextField(blank=True, help_text="Pharmacokinetics: how the body gets rid of it.")
    boxed_warning = models.TextField(
        "boxed warning",
        blank=True,
        help_text="The FDA label's boxed warning in plain words. Leave empty when the label has none.",
    )
    rxcui = models.CharField(
        "RxNorm RxCUI",
        max_length=10,
        blank=True,
        validators=[RegexValidator(RXCUI_PATTERN, "An RxCUI is a number of up to 10 digits.")],
        help_text="Optional: the RxNorm concept id of the ingredient (digits only).",
    )
    atc_code = models.CharField(
        "ATC code",
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(ATC_PATTERN, "An ATC code has 7 characters, letter-digit-digit-letter-letter-digit-digit.")
        ],
        help_text="Optional: the WHO ATC code of the substance, for example L04AX01.",
    )

    # The public change log (changelog app): shown on the page, kept in its revisions.
    change_notes = GenericRelation("changelog.ChangeNote")

    objects = DrugQuerySet.as_manager()

    title_field = "generic_name"
    edited_with = (
        "drugs.DrugName",
        "drugs.DrugUse",
        "drugs.SideEffect",
        "drugs.Precaution",
        "drugs.Interaction",
        "images.Image",
        "drugs.DrugReference",
        "changelog.ChangeNote",
    )
    filed_under = ("drugs.DrugClass", "drugs.Condition")
    # A change note is editorial: it describes the change that was reviewed, and needs no sign-off of its own.
    editorial_fields = (*Publishable.editorial_fields, "slug", "changelog.ChangeNote")

    class Meta:
        ordering = ["generic_name"]
        verbose_name = "drug"
        verbose_name_plural = "drugs"
        indexes = [
            *Publishable.Meta.indexes,
            models.Index(fields=["status", "generic_name"], name="drug_status_name"),
        ]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                Lower("generic_name"),
                name="drug_generic_name_ci_unique",
                violation_error_message="A drug with this generic name already exists.",
            ),
            models.CheckConstraint(condition=Q(rxcui="") | Q(rxcui__regex=RXCUI_PATTERN), name="drug_rxcui_digits"),
            models.CheckConstraint(
                condition=Q(atc_code="") | Q(atc_code__regex=ATC_PATTERN), name="drug_atc_code_format"
            ),
            models.UniqueConstraint(
                fields=["rxcui"],
                condition=~Q(rxcui=""),
                name="drug_rxcui_unique",
                violation_error_message="Another drug already has this RxCUI.",
            ),
        ]

    def __str__(self):
        return self.generic_name

    def clean(self):
        super().clean()
        name = (self.generic_name or "").strip()
        others = DrugName.objects.exclude(drug_id=self.pk) if self.pk else DrugName.objects.all()
        if name and others.filter(name__iexact=name).exists():
            raise ValidationError(
                {"generic_name": f"“{name}” is already recorded as another name of a different drug."}
            )
        if self.slug and others.filter(slug=self.slug).exists():
            raise ValidationError({"slug": "Another drug's brand or other name already uses this address."})

    def get_absolute_url(self):
        return slug_url("drugs:drug", self.slug)

    @property
    def display_name(self) -> str:
        return self.generic_name[:1].upper() + self.generic_name[1:]


class NameKind(models.TextChoices):
    GENERIC = "generic", "Generic (another non-proprietary name)"
    BRAND = "brand", "Brand"
    OTHER = "other", "Other (abbreviation, former or common name)"


class DrugName(models.Model):
    """Another name a reader may know the drug by: "Imuran" for azathioprine.

    Names are unique whatever their case, so every name leads to one drug;
    ``/drugs/<name-slug>/`` redirects to that drug's page.
    """

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=120, help_text="As it is written, for example “Imuran”.")
    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        blank=True,
        help_text="/drugs/this-slug/ leads to the drug. Filled in from the name when left empty.",
    )
    kind = models.CharField(
        "kind of name",
        max_length=10,
        choices=NameKind.choices,
        default=NameKind.BRAND,
        help_text="A brand (“Imuran”), another generic name, or another name readers use.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "drug name"
        verbose_name_plural = "other names (brand and generic)"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="drug_name_ci_unique",
                violation_error_message="This name is already recorded for a drug.",
            ),
        ]
        indexes = [models.Index(fields=["drug", "kind"], name="drug_name_drug_kind")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.drug.get_absolute_url()

    def clean(self):
        self.name = (self.name or "").strip()
        self.slug = self.slug or slugify(self.name)
        if not self.slug:
            raise ValidationError({"name": "A name needs at least one letter or digit."})
        clash = Drug.objects.filter(Q(generic_name__iexact=self.name) | Q(slug=self.slug))
        if self.drug_id:
            clash = clash.exclude(pk=self.drug_id)
        if clash.exists():
            raise ValidationError({"name": f"“{self.name}” is already the generic name or address of another drug."})


class DrugUse(models.Model):
    """What a drug is used for: on the label, or off-label."""

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="uses")
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="uses", help_text="Type to find a condition."
    )
    on_label = models.BooleanField(
        "on the label", default=True, help_text="Untick for an off-label use (not on the FDA label)."
    )
    note = models.CharField(max_length=300, blank=True, help_text="Optional: a plain sentence of context.")

    class Meta:
        ordering = ["-on_label", "condition__name"]
        verbose_name = "use"
        verbose_name_plural = "uses"
        constraints = [models.UniqueConstraint(fields=["drug", "condition"], name="drug_use_once")]
        indexes = [models.Index(fields=["condition", "drug"], name="drug_use_condition")]

    def __str__(self):
        return f"{self.drug} for {self.condition}"


class Frequency(RankedChoices):
    VERY_COMMON = "very_common", "Very common (more than 1 in 10 people)"
    COMMON = "common", "Common (up to 1 in 10 people)"
    UNCOMMON = "uncommon", "Uncommon (up to 1 in 100 people)"
    RARE = "rare", "Rare (up to 1 in 1,000 people)"
    VERY_RARE = "very_rare", "Very rare (up to 1 in 10,000 people)"
    NOT_KNOWN = "not_known", "Not known (cannot be estimated from the available data)"

    @property
    def is_common(self) -> bool:
        return self in (Frequency.VERY_COMMON, Frequency.COMMON)


class Seriousness(RankedChoices):
    URGENT = "urgent", "Urgent: get medical help now"
    SEE_DOCTOR = "see_doctor", "See a doctor"
    MILD = "mild", "Mild"


class SideEffect(models.Model):
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="side_effects")
    name = models.CharField(max_length=200, help_text="In plain words, for example “feeling sick (nausea)”.")
    frequency = models.CharField(
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.NOT_KNOWN,
        help_text="Choose “not known” unless the source gives the band.",
    )
    seriousness = models.CharField(
        max_length=20,
        choices=Seriousness.choices,
        default=Seriousness.MILD,
        help_text="How soon the reader should act if it happens.",
    )
    what_to_do = models.TextField("what to do", blank=True, help_text="Plain advice for the reader.")

    class Meta:
        ordering = [Frequency.ordering("frequency"), "name"]
        verbose_name = "side effect"
        verbose_name_plural = "side effects"
        constraints = [models.UniqueConstraint(fields=["drug", "name"], name="side_effect_once")]

    def __str__(self):
        return f"{self.drug}: {self.name}"

    @property
    def is_serious(self) -> bool:
        return self.seriousness != Seriousness.MILD

    @property
    def is_common(self) -> bool:
        return Frequency(self.frequency).is_common


class Topic(RankedChoices):
    PREGNANCY = "pregnancy", "Pregnancy"
    BREASTFEEDING = "breastfeeding", "Breastfeeding"
    INFECTION = "infection", "Infection"
    CANCER_RISK = "cancer_risk", "Cancer risk"
    VACCINATION = "vaccination", "Vaccination"
    LIVER = "liver", "Liver"
    KIDNEY = "kidney", "Kidney"
    OTHER = "other", "Other"


class Precaution(models.Model):
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="precautions")
    topic = models.CharField(max_length=20, choices=Topic.choices, help_text="Who or what the precaution is about.")
    text = models.TextField(help_text="Plain advice for the reader.")

    class Meta:
        ordering = [Topic.ordering("topic"), "pk"]
        verbose_name = "precaution"
        verbose_name_plural = "precautions"

    def __str__(self):
        return f"{self.drug}: {self.get_topic_display()}"


class Severity(RankedChoices):
    CONTRAINDICATED = "contraindicated", "Contraindicated: do not use together"
    MAJOR = "major", "Major"
    MODERATE = "moderate", "Moderate"
    MINOR = "minor", "Minor"


class Substance(models.TextChoices):
    ALCOHOL = "alcohol", "Alcohol"
    FOOD = "food", "Food"
    GRAPEFRUIT = "grapefruit", "Grapefruit juice"
    LIVE_VACCINES = "live_vaccines", "Live vaccines"
    ST_JOHNS_WORT = "st_johns_wort", "St John’s wort"


class InteractionQuerySet(models.QuerySet):
    def public_beside(self, drug):
        """Interactions whose other drug is published; ``drug`` itself may not be (a staff preview)."""
        published = Drug.objects.published().values("pk")
        return self.filter(Q(drug_a=drug) | Q(drug_a__in=published)).filter(
            Q(drug_b__isnull=True) | Q(drug_b=drug) | Q(drug_b__in=published)
        )

    def involving(self, drug):
        """Interactions that concern ``drug``: as either drug of a pair, or as a member of the class."""
        return self.filter(
            Q(drug_a=drug) | Q(drug_b=drug) | Q(drug_class__in=DrugClass.objects.filter(drugs=drug).values("pk"))
        )

    def worst_first(self):
        return self.order_by(Severity.ordering("severity"), "drug_a__generic_name", "pk")


class Interaction(models.Model):
    """What happens when a drug is taken with another drug, a drug class or a substance.

    One row serves both drugs of a pair. The pair is stored in a canonical
    order, the lower id as ``drug_a``, so the database can refuse the same
    pair twice; ``save()`` puts it in that order, whichever side an editor
    started from.
    """

    drug_a = models.ForeignKey(
        Drug,
        on_delete=models.CASCADE,
        related_name="interactions",
        verbose_name="drug",
        help_text="One record serves both drugs of a pair: it is listed on both drugs' pages.",
    )
    drug_b = models.ForeignKey(
        Drug,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="paired_interactions",
        verbose_name="other drug",
        help_text="Fill in one of: other drug, drug class, substance.",
    )
    drug_class = models.ForeignKey(
        DrugClass,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
        verbose_name="drug class",
        help_text="For an interaction with every drug of a class, such as “MAO inhibitors”.",
    )
    substance = models.CharField(
        max_length=20, choices=Substance.choices, blank=True, help_text="Alcohol, a food, or live vaccines."
    )
    severity = models.CharField(
        max_length=20, choices=Severity.choices, help_text="Contraindicated: never together. Minor: rarely matters."
    )
    what_happens = models.TextField("what happens", help_text="In plain words.")
    what_to_do = models.TextField("what to do", blank=True, help_text="Plain advice for the reader.")
    reference_title = models.CharField(
        "reference", max_length=300, blank=True, help_text="The source for this interaction, e.g. the FDA label."
    )
    reference_url = models.URLField(
        "reference web address", max_length=500, blank=True, help_text="Where to read the source, starting https://."
    )

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = [Severity.ordering("severity"), "pk"]
        verbose_name = "interaction"
        verbose_name_plural = "interactions"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(drug_b__isnull=False, drug_class__isnull=True, substance="")
                    | Q(drug_b__isnull=True, drug_class__isnull=False, substance="")
                    | (Q(drug_b__isnull=True, drug_class__isnull=True) & ~Q(substance=""))
                ),
                name="interaction_one_other_side",
                violation_error_message="Choose exactly one of: another drug, a drug class or a substance.",
            ),
            models.CheckConstraint(
                condition=~Q(drug_a=F("drug_b")),
                name="interaction_not_self",
                violation_error_message="A drug cannot interact with itself.",
            ),
            models.CheckConstraint(
                condition=Q(drug_b__isnull=True) | Q(drug_a__lt=F("drug_b")),
                name="interaction_pair_canonical_order",
            ),
            # Either order: stands even if the canonical-order check were dropped.
            models.UniqueConstraint(
                Least("drug_a", "drug_b"),
                Greatest("drug_a", "drug_b"),
                condition=Q(drug_b__isnull=False),
                name="interaction_drug_pair_once",
                violation_error_message="An interaction between these two drugs is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["drug_a", "drug_class"],
                condition=Q(drug_class__isnull=False),
                name="interaction_drug_class_once",
                violation_error_message="An interaction of this drug with this class is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["drug_a", "substance"],
                condition=~Q(substance=""),
                name="interaction_substance_once",
                violation_error_message="An interaction of this drug with this substance is already recorded.",
            ),
        ]
        indexes = [
            models.Index(fields=["drug_b"], name="interaction_drug_b"),
        ]

    def __str__(self):
        return f"{self.drug_a} + {self.other_label()}"

    def save(self, *args, **kwargs):
        self.normalise_pair()
        super().save(*args, **kwargs)

    @property
    def severity_rank(self) -> int:
        return Severity.rank_of(self.severity)

    def other_label(self) -> str:
        if self.drug_b_id:
            return str(self.drug_b)
        if self.drug_class_id:
            return str(self.drug_class)
        return self.get_substance_display()

    def other_side(self, drug) -> tuple[str, str | None]:
        """The (label, url) of what ``drug`` interacts with in this record."""
        if self.drug_b_id and self.drug_b_id != drug.pk:
            return self.drug_b.display_name, self.drug_b.get_absolute_url()
        if self.drug_b_id or (self.drug_class_id and self.drug_a_id != drug.pk):
            # ``drug`` is the second drug of a pair, or a member of the class.
            return self.drug_a.display_name, self.drug_a.get_absolute_url()
        if self.drug_class_id:
            return self.drug_class.name, self.drug_class.get_absolute_url()
        return self.get_substance_display(), None

    def normalise_pair(self):
        if self.drug_a_id and self.drug_b_id and self.drug_b_id < self.drug_a_id:
            self.drug_a_id, self.drug_b_id = self.drug_b_id, self.drug_a_id

    def clean(self):
        sides = [self.drug_b_id is not None, self.drug_class_id is not None, bool(self.substance)]
        if sum(sides) != 1:
            raise ValidationError(
                {NON_FIELD_ERRORS: "Choose exactly one of: another drug, a drug class or a substance."}
            )
        if not self.drug_a_id:
            return
        others = Interaction.objects.exclude(pk=self.pk) if self.pk else Interaction.objects.all()
        if self.drug_b_id:
            if self.drug_b_id == self.drug_a_id:
                raise ValidationError({"drug_b": "A drug cannot interact with itself. Choose a different drug."})
            pair = Q(drug_a_id=self.drug_a_id, drug_b_id=self.drug_b_id) | Q(
                drug_a_id=self.drug_b_id, drug_b_id=self.drug_a_id
            )
            if others.filter(pair).exists():
                raise ValidationError(
                    {
                        "drug_b": f"An interaction between {self.drug_a} and {self.drug_b} is already recorded "
                        "(it may be listed on the other drug's page). Edit that record instead."
                    }
                )
        elif self.drug_class_id and others.filter(drug_a_id=self.drug_a_id, drug_class_id=self.drug_class_id).exists():
            raise ValidationError({"drug_class": "An interaction of this drug with this class is already recorded."})
        elif self.substance and others.filter(drug_a_id=self.drug_a_id, substance=self.substance).exists():
            raise ValidationError({"substance": "An interaction of this drug with this substance is already recorded."})

    def validate_constraints(self, exclude=None):
        # Constraints describe the stored (canonical) order, which save() produces.
        original = self.drug_a_id, self.drug_b_id
        self.normalise_pair()
        try:
            super().validate_constraints(exclude=exclude)
        finally:
            if (self.drug_a_id, self.drug_b_id) != original:
                self.drug_a_id, self.drug_b_id = original

    def applies_among(self, drug_ids: set[int], classes_by_drug: dict[int, set[int]]) -> bool:
        """True when this record concerns two different drugs of ``drug_ids``."""
        if self.drug_a_id not in drug_ids:
            return False
        if self.drug_b_id:
            return self.drug_b_id in drug_ids
        if self.drug_class_id:
            return any(
                self.drug_class_id in classes_by_drug.get(other, ()) for other in drug_ids if other != self.drug_a_id
            )
        return False


class DrugReference(BaseReference):
    """A source backing a drug page's content."""

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="references")

    class Meta(BaseReference.Meta):
        pass
