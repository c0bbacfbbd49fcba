from django.db import models
from django.urls import reverse

from articles.models import TimeStampedModel


class Drug(TimeStampedModel):
    """One active ingredient, named by its generic (non-proprietary) name."""

    generic_name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="One or two plain sentences for listings.")

    class Meta:
        ordering = ["generic_name"]
        verbose_name = "drug"
        verbose_name_plural = "drugs"

    def __str__(self):
        return self.generic_name

    def get_absolute_url(self):
        return reverse("drugs:drug", kwargs={"slug": self.slug})
