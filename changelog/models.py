"""The public change log: dated, editor-written summaries of meaningful changes to a clinical page.

Separate from the revision history (every save, internal): a note is what
readers are told changed ("Updated the advice on live vaccines"), and a
correction says the page was wrong before. Notes attach to any publishable
page by content type and id, so this app knows no content type; a content
type shows them through a ``GenericRelation`` named ``change_notes``, which
also lets django-reversion keep them in the page's revisions (a note added to
a published page waits for review with the rest of the change).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ChangeNoteQuerySet(models.QuerySet):
    def corrections(self):
        return self.filter(is_correction=True)


class ChangeNote(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    date = models.DateField(default=timezone.localdate, help_text="The day the change was made, as readers see it.")
    summary = models.CharField(
        max_length=300,
        help_text="One plain sentence for readers, e.g. “Updated the advice on live vaccines.”",
    )
    is_correction = models.BooleanField(
        "correction",
        default=False,
        help_text="The page said something wrong before. Corrections are also listed on the Corrections page and feed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "change note"
        verbose_name_plural = "change notes"
        indexes = [
            models.Index(fields=["content_type", "object_id", "-date"], name="changenote_page_date"),
            models.Index(
                fields=["-date", "-id"], condition=models.Q(is_correction=True), name="changenote_corrections"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.summary}"
