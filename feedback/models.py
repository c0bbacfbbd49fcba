"""Readers' answers to "Was this page helpful?", on any publishable page (content type and id).

No account, cookie or address is kept: ``voter`` is a keyed hash of the page
token the reader answered with and their address, unique, so each address
answers once per token and nothing in the table leads back to a reader.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

COMMENT_MAX_LENGTH = 500


class Feedback(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    helpful = models.BooleanField()
    comment = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    voter = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "reader feedback"
        verbose_name_plural = "reader feedback"
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="feedback_page_created"),
            models.Index(fields=["-created_at"], name="feedback_created"),
        ]
        constraints = [models.UniqueConstraint(fields=["voter"], name="feedback_one_answer_per_token_address")]

    def __str__(self):
        return f"{'Yes' if self.helpful else 'No'}, {self.created_at:%Y-%m-%d %H:%M}"
