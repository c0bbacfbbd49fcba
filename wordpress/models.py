"""What a WordPress import remembers: which object each WordPress item became, and the old addresses.

``ImportedItem`` is keyed by the WordPress site and the item's id there, so
running the import again updates what it made instead of making it twice,
and an import killed part-way picks up where it stopped.

``OldAddress`` keeps every address the old site answered at (a permalink, a
``?p=123`` link, a category or tag address, an uploaded file) and what it
points at now. It stores the target, never the target's address: the
address is worked out when a reader asks (``wordpress.redirects``), so the
redirect is always one hop to the current address, even after the slug
changes, and never leads to content readers cannot see.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class ItemKind(models.TextChoices):
    AUTHOR = "author", "author"
    CATEGORY = "category", "category"
    TAG = "tag", "tag"
    ATTACHMENT = "attachment", "attachment"
    POST = "post", "post"
    PAGE = "page", "page"


class ImportedItem(models.Model):
    site = models.CharField(max_length=200, help_text="The WordPress site's address, without the scheme.")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    wp_id = models.BigIntegerField("WordPress id")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    imported_at = models.DateTimeField(help_text="When the import last wrote the object.")

    class Meta:
        ordering = ["site", "kind", "wp_id"]
        verbose_name = "imported WordPress item"
        verbose_name_plural = "imported WordPress items"
        constraints = [models.UniqueConstraint(fields=["site", "kind", "wp_id"], name="wordpress_item_once")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="wordpress_item_target")]

    def __str__(self):
        return f"{self.site} {self.kind} {self.wp_id}"


class OldAddress(models.Model):
    address = models.CharField(
        max_length=500,
        unique=True,
        help_text="A path as the old site served it (/2019/03/14/imuran/), or a query key (?p=123).",
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    image = models.ForeignKey("images.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["address"]
        verbose_name = "old WordPress address"
        verbose_name_plural = "old WordPress addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(image__isnull=True, content_type__isnull=False, object_id__isnull=False)
                | Q(image__isnull=False, content_type__isnull=True, object_id__isnull=True),
                name="wordpress_address_one_target",
            )
        ]

    def __str__(self):
        return self.address
