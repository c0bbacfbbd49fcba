from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from images.models import Image
from images.renditions import fallback_format
from images.services import image_save
from images.validation import accepted_label, inspect_upload

SEARCH_MAX_LENGTH = 200


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["title", "file", "alt_text", "decorative", "caption", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"{accepted_label()}. Kept as uploaded; readers get resized copies without camera or location data."
        )
        self.fields["file"].widget.attrs["accept"] = "image/*"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" not in self.changed_data:
            return upload
        info = inspect_upload(upload)
        same = Image.objects.filter(content_hash=info.content_hash).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise ValidationError(
                f"This image is already in the library as “{same.title}” (number {same.pk}). Use that one.",
                code="duplicate",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("decorative") and not cleaned.get("alt_text", "").strip():
            self.add_error(
                "alt_text",
                ValidationError(
                    "Describe what the image shows for readers who cannot see it, or tick “decoration only”.",
                    code="alt_text_required",
                ),
            )
        return cleaned


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "alt_text", "dimensions", "format", "credit", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["format", "decorative"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    list_per_page = 50
    readonly_fields = ["preview", "dimensions", "format", "file_size", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["title", "file", "preview"]}),
        ("For readers", {"fields": ["alt_text", "decorative", "caption", "credit"]}),
        ("About the file", {"fields": ["dimensions", "format", "file_size", "uploaded_by", "uploaded_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_renditions()

    def get_search_results(self, request, queryset, search_term):
        # The rule of security.admin_inputs (an app beside this one, so not imported): a search the database
        # cannot run (SQLite: "LIKE pattern too complex"; PostgreSQL: a null byte) finds nothing.
        if len(search_term) > SEARCH_MAX_LENGTH or "\x00" in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Image")
    def thumbnail(self, image: Image):
        return small_preview(image, 80)

    @admin.display(description="Preview")
    def preview(self, image: Image):
        return small_preview(image, 320) if image.pk else "—"

    @admin.display(description="Size in pixels")
    def dimensions(self, image: Image):
        return f"{image.width} × {image.height}" if image.pk else "—"

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"] if "file" in form.changed_data else None
        image_save(image=obj, upload=upload, user=request.user)


def small_preview(image: Image, width: int) -> str:
    """The narrowest rendition the browser reads everywhere, shown ``width`` pixels wide (no query: prefetched)."""
    renditions = sorted(
        (rendition for rendition in image.renditions.all() if rendition.format == fallback_format(image)),
        key=lambda rendition: rendition.width,
    )
    if not renditions:
        return "—"
    smallest = renditions[0]
    height = round(width * smallest.height / smallest.width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="image-thumbnail">',
        smallest.url,
        width,
        height,
        image.alt,
    )
