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


class Transition(models.Model):
    """One move of a piece of content: who, when, from which state to which, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=10, choices=TransitionKind.choices, default=TransitionKind.STATE)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="The publish time set by this move.")
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "workflow transition"
        verbose_name_plural = "workflow transitions"
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="transition_object_at")]

    def __str__(self):
        if self.kind == TransitionKind.REVIEW:
            return f"Medically reviewed by {self.by}"
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
