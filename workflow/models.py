"""What articles and drug pages share on their way to readers.

``Transition`` is the log of every state change and medical review;
``SlugRedirect`` keeps the addresses public content used to have;
``EditVersion`` is the optimistic-lock counter the admin checks before a save;
``ReviewerProfile`` holds a medical reviewer's credentials, shown to readers.

The edit counter lives in its own table rather than on the content row so
that restoring an old revision (django-reversion rewrites the whole row)
never winds it back.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from publishing.models import Status


class TransitionKind(models.TextChoices):
    STATE = "state", "State change"
    REVIEW = "review", "Medical review"
    CHANGES_SUBMITTED = "changes_submitted", "Changes submitted for review"
    CHANGES_WITHDRAWN = "changes_withdrawn", "Changes withdrawn from review"
    CHANGES_REVIEWED = "changes_reviewed", "Changes medically reviewed"
    CHANGES_PUBLISHED = "changes_published", "Changes published"
    EDITORIAL_PUBLISHED = "editorial_published", "Editorial changes published (no clinical text changed)"
    CHANGES_DISCARDED = "changes_discarded", "Changes discarded"


class Transition(models.Model):
    """One move of a piece of content: who, when, from which state to which, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=30, choices=TransitionKind.choices, default=TransitionKind.STATE)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="The publish time set by this move.")
    comment = models.CharField(max_length=500, blank=True)
    references_checked = models.BooleanField(
        null=True, blank=True, help_text="For a medical review: the reviewer confirmed the references were re-checked."
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "workflow transition"
        verbose_name_plural = "workflow transitions"
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="transition_object_at")]

    def __str__(self):
        if self.kind == TransitionKind.REVIEW:
            return f"Medically reviewed by {self.by}"
        if self.kind != TransitionKind.STATE:
            return self.get_kind_display()
        start = Status(self.from_status).label if self.from_status else "new"
        return f"{start} → {Status(self.to_status).label}"


class SlugRedirect(models.Model):
    """An address a public page used to have, pointing at the object (not at a slug).

    Pointing at the object means a chain of renames always answers in one hop:
    every old slug leads to the object's slug of today.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    old_slug = models.SlugField(max_length=200)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["content_type", "old_slug"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "old_slug"], name="slug_redirect_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="slug_redirect_object")]

    def __str__(self):
        return f"{self.content_type.model} {self.old_slug} → #{self.object_id}"


class EditVersion(models.Model):
    """How many times a piece of content has been saved through the admin or a workflow move."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["content_type", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="edit_version_once"),
        ]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id} v{self.number}"


class ReviewerProfile(models.Model):
    """A medical reviewer's professional credentials, printed beside their name on reviewed pages."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    credentials = models.CharField(
        max_length=120,
        help_text="As readers should see them, for example “MD, FACP” or “PharmD”. Required to sign off reviews.",
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = "reviewer credentials"
        verbose_name_plural = "reviewer credentials"
        constraints = [
            models.CheckConstraint(condition=~Q(credentials=""), name="reviewer_profile_has_credentials"),
        ]

    def __str__(self):
        return f"{self.user}: {self.credentials}"


class PendingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


OPEN_PENDING_STATES = (PendingState.DRAFT, PendingState.IN_REVIEW)


class PendingChange(models.Model):
    """Changes to a published page, held as a revision until they are reviewed and published.

    Readers, feeds, search, the API and the page cache keep seeing the
    published row: nothing of a pending change touches it until a publisher
    publishes the change (``workflow.pending``). A page has at most one open
    (draft or in review) change at a time.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    revision = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=PendingState.choices, default=PendingState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    changed_fields = models.JSONField(
        default=list, blank=True, help_text="What differs from the published page (field and part names)."
    )
    clinical = models.BooleanField(
        default=True, help_text="Whether clinical text changed: then a medical reviewer signs it off first."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "change waiting for review"
        verbose_name_plural = "changes waiting for review"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=OPEN_PENDING_STATES),
                name="pending_change_one_open",
            ),
        ]
        indexes = [models.Index(fields=["state", "-updated_at"], name="pending_change_state")]

    def __str__(self):
        return f"Changes to {self.content_type.model} #{self.object_id} ({self.get_state_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_PENDING_STATES

    @property
    def is_signed_off(self) -> bool:
        return self.reviewed_by_id is not None and self.reviewed_on is not None
