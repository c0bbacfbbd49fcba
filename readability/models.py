"""The plain-English glossary editors are offered, and each page's stored reading age.

``ReadingLevel`` sits beside the content rather than on ``Publishable``:
the core stays small, and any publishable type gets a row without a
migration of its own. It is written when a page is saved (see
``workflow.readability``) and read by the review queue to sort by reading age.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower


class GlossaryTerm(models.Model):
    """A term editors should usually replace: "myocardial infarction" -> "heart attack"."""

    term = models.CharField(
        max_length=100, help_text="The word or phrase to look for, for example “myocardial infarction”."
    )
    plainer = models.CharField(
        "plainer words", max_length=200, help_text="What to write instead, for example “heart attack”."
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Optional: when the term is still right, or how to explain it."
    )

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"
        verbose_name_plural = "plain-English glossary"
        constraints = [
            models.UniqueConstraint(
                Lower("term"), name="glossary_term_ci_unique", violation_error_message="This term is already listed."
            )
        ]

    def __str__(self):
        return f"{self.term} → {self.plainer}"

    def save(self, *args, **kwargs):
        self.term = " ".join(self.term.split())
        super().save(*args, **kwargs)


class ReadingLevel(models.Model):
    """One page's reading age when it was last saved (any content type)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    words = models.PositiveIntegerField(default=0)
    sentences = models.PositiveIntegerField(default=0)
    smog_age = models.FloatField("reading age (SMOG)", null=True)
    fk_age = models.FloatField("reading age (Flesch-Kincaid)", null=True)
    measured_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["content_type", "object_id"]
        verbose_name = "reading level"
        verbose_name_plural = "reading levels"
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="reading_level_once")]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} reading age {self.smog_age}"
