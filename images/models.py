"""The image library: originals as uploaded, and the renditions readers are served.

This app imports no other app of this project: content types point at
``images.Image`` (``Publishable.featured_image``) and the sanitiser keeps
``<img data-image="12">`` markup naming one; the templates of the content
apps render both with this app's template tags.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from images.storage import originals_storage


class ImageFormat(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    GIF = "gif", "GIF"
    AVIF = "avif", "AVIF"

    @property
    def extension(self) -> str:
        return {"jpeg": "jpg"}.get(self.value, self.value)

    @property
    def mime_type(self) -> str:
        return f"image/{self.value}"


def original_path(image: "Image", filename: str) -> str:
    # Named by content, so an upload never overwrites another and the name tells nothing about the file.
    return f"{image.content_hash[:2]}/{image.content_hash}.{ImageFormat(image.format).extension}"


def rendition_path(rendition: "Rendition", filename: str) -> str:
    return f"images/{filename}"


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        """Images with their renditions attached: one query for all of them, however many images."""
        return self.prefetch_related("renditions")


class Image(models.Model):
    title = models.CharField(
        max_length=200, help_text="For finding the image in the library. Readers see the alt text, not this."
    )
    file = models.FileField(
        "image file",
        upload_to=original_path,
        storage=originals_storage,
        max_length=200,
        help_text="JPEG, PNG, WebP or GIF (AVIF where the server can read it). Kept as uploaded; readers get "
        "resized copies without camera or location data.",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=10, choices=ImageFormat.choices, editable=False)
    has_alpha = models.BooleanField("transparent", default=False, editable=False)
    file_size = models.PositiveIntegerField("file size (bytes)", editable=False)
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the uploaded file."
    )
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it: “Diagram of the liver and gall bladder”. "
        "Required unless the image is only decoration.",
    )
    decorative = models.BooleanField(
        "decoration only",
        default=False,
        help_text="Tick only if the image adds nothing to the text; screen readers then skip it.",
    )
    caption = models.CharField(max_length=300, blank=True, help_text="Optional: shown under the image.")
    credit = models.CharField(
        "credit and licence",
        max_length=200,
        blank=True,
        help_text="Who made it and under what licence: “Photo: Jane Doe, CC BY 4.0”, “Illustration: medsite”.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField("uploaded", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"
        constraints = [
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""),
                name="image_alt_text_unless_decorative",
                violation_error_message="Describe the image in the alt text, or mark it as decoration only.",
            ),
        ]
        indexes = [models.Index(fields=["-uploaded_at"], name="image_uploaded_idx")]

    def __str__(self):
        return self.title

    @property
    def alt(self) -> str:
        """The alt attribute readers get: empty for decoration, so screen readers skip it."""
        return "" if self.decorative else self.alt_text


class Rendition(models.Model):
    """One size of an image in one format, made once and kept; its file name carries a hash of its bytes."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=ImageFormat.choices)
    file = models.FileField(upload_to=rendition_path, max_length=200)
    file_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["image", "format", "width"]
        verbose_name = "rendition"
        verbose_name_plural = "renditions"
        constraints = [
            # Also the index that finds a rendition in one lookup.
            models.UniqueConstraint(fields=["image", "format", "width"], name="rendition_unique_size"),
        ]

    def __str__(self):
        return f"{self.image_id} {self.format} {self.width}w"

    @property
    def url(self) -> str:
        return self.file.url
