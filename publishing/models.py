"""What every piece of content readers can see has in common: the publishing contract.

A content type (article, drug page, ...) subclasses ``Publishable`` and gets
its state, publish time, author and medical review fields, the database
constraints that keep them honest, the ``publish_<model>`` and
``review_<model>`` permissions, and the one ``published()`` queryset method
that every public view, feed and sitemap starts from. ``publishing.registry``
finds the subclasses, so the workflow, search, sitemaps and the page cache
learn about a new type without a hand-kept list.

This app imports no other app of this project: everything else stands on it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.urls import reverse_lazy
from django.utils import timezone

from publishing import identifiers

# What the rich-text editor offers; the server-side allowlist in
# publishing/html.py is the one that counts. InternalLink and PasteCleanup are
# ours (DJANGO_PROSE_EDITOR_EXTENSIONS in the settings): the link dialog with a
# search for our own pages, and Word / Google Docs paste kept structural.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "InternalLink": {"enableTarget": False, "chooserUrl": reverse_lazy("link-chooser")},
    # Our own: an image from the library, stored as <img data-image="12" alt="..."> (images/embed.py).
    "LibraryImage": {"chooserUrl": reverse_lazy("image-chooser")},
    "PasteCleanup": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Content a reader may see: published, and its publish time has come.

        Every public view, feed, sitemap and template tag starts here.
        """
        now = timezone.now()
        return self.filter(status=Status.PUBLISHED, published_at__lte=now).exclude(expires_at__lte=now)

    def scheduled(self):
        """Published content whose publish time is still to come."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def expired(self):
        """Published content whose unpublish time has passed (the workflow moves it to unpublished)."""
        return self.filter(status=Status.PUBLISHED, expires_at__lte=timezone.now())

    def with_featured_image(self):
        """The featured image and its renditions attached: two queries for any number of rows, none per image."""
        return self.select_related("featured_image").prefetch_related("featured_image__renditions")

    def published_or_scheduled(self):
        """Published content, including content whose publish time is still to come."""
        return self.filter(status=Status.PUBLISHED)


def review_due_order():
    """The review due date with never-reviewed pages first: sort by this (then id) to read off the index.

    An expression rather than ``NULLS FIRST``, which SQLite cannot index.
    """
    return Coalesce("next_review_due", Value(datetime.date.min, output_field=models.DateField()))


class Publishable(TimeStampedModel):
    """Content that goes draft -> in review -> published, signed off by a medical reviewer.

    Subclasses keep the base constraints and indexes when they add their own:
    ``constraints = [*Publishable.Meta.constraints, ...]``, and the same for ``indexes`` (the contract
    check in ``publishing/checks.py`` reports one that does not).
    """

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="Readers see the page from this time on. Leave empty to publish now.",
    )
    # Clinical text always has an accountable writer: a user who wrote pages
    # is deactivated, never deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="%(class)ss", help_text="Who wrote it."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_%(class)ss",
        help_text="The medical reviewer: never the author.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField(
        "unpublish time",
        null=True,
        blank=True,
        help_text="Optional: readers stop seeing the page at this time (for time-limited notices).",
    )
    # What search engines and link previews show; empty means the title and summary.
    seo_title = models.CharField(
        "search title",
        max_length=70,
        blank=True,
        help_text="Shown as the headline in search results. Leave empty to use the title. About 60 characters fit.",
    )
    meta_description = models.CharField(
        "search description",
        max_length=200,
        blank=True,
        help_text="Shown under the headline in search results. Leave empty to use the summary. "
        "About 155 characters fit.",
    )

    # The image at the top of the page, on cards and in link previews; from the library (the images app, named
    # by label only: this app imports no other of ours).
    featured_image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the page, on cards and when the page is shared. Pick one from the library.",
    )

    objects = PublishableQuerySet.as_manager()

    # The field that names an object in queues and logs ("title" unless a type says otherwise).
    title_field = "title"
    # For the workflow's roles, as "app.Model" labels: the rows edited on this content's admin page
    # (they share its permissions), what files it (publishers manage it, the other roles see it), and
    # what publishers alone manage.
    edited_with: tuple[str, ...] = ()
    filed_under: tuple[str, ...] = ()
    publisher_manages: tuple[str, ...] = ()
    # What is not clinical text: a change to these alone leaves the medical sign-off standing.
    # Field names, and "app.Model" labels of inline parts.
    editorial_fields: tuple[str, ...] = (
        "seo_title",
        "meta_description",
        "expires_at",
        "published_at",
        "author",
        "featured_image",
    )

    class Meta:
        abstract = True
        # The review queue and dashboard read pages by due date, never-reviewed first, and stop early.
        indexes = [models.Index(review_due_order(), F("id"), name="%(class)s_review_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reviewed_by=F("author")),
                name="%(class)s_reviewer_is_not_author",
                violation_error_message="The medical reviewer cannot be the author.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="%(class)s_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="%(class)s_expires_after_publish",
                violation_error_message="The unpublish time must come after the publish time.",
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(last_reviewed__isnull=True)
                | Q(next_review_due__gt=F("last_reviewed")),
                name="%(class)s_next_review_after_last",
                violation_error_message="The next review must be due after the last review.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.fill_publish_time()
        super().save(*args, **kwargs)

    def clean(self):
        # Runs before the form validates constraints: "leave empty to publish now".
        self.fill_publish_time()

    def fill_publish_time(self) -> None:
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self) -> bool:
        """Published, with a publish time still to come: readers see it from then on."""
        return self.status == Status.PUBLISHED and self.published_at is not None and self.published_at > timezone.now()

    @property
    def state_label(self) -> str:
        """The state as editors should read it: "Scheduled" is a published page whose time has not come."""
        if self.is_scheduled:
            return "Scheduled"
        if self.status == Status.PUBLISHED and not self.is_public and self.expires_at is not None:
            return "Expired"
        return self.get_status_display()

    @property
    def is_gone(self) -> bool:
        """Unpublished after readers could see it: its address answers 410 Gone."""
        return is_gone(self)


def is_gone(obj) -> bool:
    """``obj`` needs only ``status`` and ``published_at``: rows read with ``values()`` work too."""
    return obj.status == Status.UNPUBLISHED and obj.published_at is not None and obj.published_at <= timezone.now()


def workflow_permissions(opts) -> list[tuple[str, str]]:
    """The two permissions the workflow checks, named for the model: ``publish_article``, ``review_article``."""
    plural = opts.verbose_name_plural
    return [
        (f"publish_{opts.model_name}", f"Can publish, schedule and unpublish {plural}"),
        (f"review_{opts.model_name}", f"Can mark {plural} medically reviewed"),
    ]


@receiver(class_prepared)
def add_workflow_permissions(sender, **kwargs):
    """Every concrete publishable model gets its workflow permissions without declaring them."""
    opts = sender._meta
    if not issubclass(sender, Publishable) or opts.abstract or opts.proxy:
        return
    declared = {codename for codename, _ in opts.permissions}
    permissions = [*opts.permissions, *(perm for perm in workflow_permissions(opts) if perm[0] not in declared)]
    # Migrations read the model's options from ``original_attrs``.
    opts.permissions = opts.original_attrs["permissions"] = permissions


class IdentifierField(models.CharField):
    """A short identifier stored bare: ``normalize`` strips the prefixes editors paste before validation runs."""

    def __init__(self, *args, normalize=None, **kwargs):
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # The normaliser is behaviour, not schema: migrations need not know it.
        return name, "django.db.models.CharField", args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if (self.normalize and value) else value


class Reference(models.Model):
    """A source backing a page's claims. A content type adds the foreign key to its page."""

    title = models.CharField(max_length=300)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="For example: U.S. Food and Drug Administration."
    )
    year = models.PositiveSmallIntegerField("year published", null=True, blank=True)
    url = models.URLField(
        "web address", max_length=500, blank=True, help_text="Where to read it online, starting https://."
    )
    accessed = models.DateField("date accessed", null=True, blank=True)
    doi = IdentifierField(
        "DOI",
        max_length=200,
        blank=True,
        normalize=identifiers.normalize_doi,
        validators=[identifiers.validate_doi],
        help_text="Optional: the article's DOI, such as 10.1056/NEJMoa2034577 (a doi.org address works too).",
    )
    pmid = IdentifierField(
        "PubMed id",
        max_length=12,
        blank=True,
        normalize=identifiers.normalize_pmid,
        validators=[identifiers.validate_pmid],
        help_text="Optional: the PMID, digits only (\u201cPMID: 33301246\u201d or a PubMed address works too).",
    )
    spl_set_id = IdentifierField(
        "FDA label set id",
        max_length=36,
        blank=True,
        normalize=identifiers.normalize_setid,
        validators=[identifiers.validate_setid],
        help_text="Optional: for a drug label, the set id from its DailyMed address (setid=...).",
    )
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Order in the list (lower first).")

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        verbose_name = "reference"
        verbose_name_plural = "references"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Imports and scripts skip full_clean(): store the bare identifier however it came.
        for field in (self._meta.get_field("doi"), self._meta.get_field("pmid"), self._meta.get_field("spl_set_id")):
            setattr(self, field.attname, field.to_python(getattr(self, field.attname)))
        super().save(*args, **kwargs)

    @property
    def identifier_links(self) -> list[tuple[str, str, str]]:
        """``(label, identifier, address)`` for each identifier the reference has, in citation order."""
        found = [
            ("doi", self.doi, identifiers.doi_url(self.doi)),
            ("PMID", self.pmid, identifiers.pubmed_url(self.pmid)),
            ("FDA label", self.spl_set_id, identifiers.dailymed_url(self.spl_set_id)),
        ]
        return [row for row in found if row[1]]
