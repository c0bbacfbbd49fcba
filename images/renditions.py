"""Renditions: the sizes and formats readers are served, made with Willow from the original.

Every image gets a standard set of widths (``IMAGE_RENDITION_WIDTHS``, never
wider than the original) in WebP, AVIF where Pillow writes it, and a
fallback every browser reads (the original's format; JPEG or PNG for WebP and
AVIF originals). The set is made when the image is uploaded or replaced, so
a reader's request normally only reads rows. A size a template asks for that
is missing (an image from before a width was added) is made on the first
request that needs it and kept: ``Rendition``'s unique (image, format, width)
is the index that finds it again.

Why Willow (Wagtail's image library, on Pillow) rather than sorl-thumbnail or
django-imagekit: those two decide when a thumbnail exists (sorl: a key-value
store filled on first use in a template; imagekit: cache files whose
existence is checked on the storage, a request per image on S3), so a page's
cost depends on their caches. Here the Rendition table is ours: made on
upload, found by one indexed lookup or a prefetch (a fixed number of queries
per page), named by content hash, removed with its image. Willow gives what
we need underneath: format detection, EXIF orientation, resizing and
writing AVIF, WebP, JPEG, PNG and GIF.

Every rendition is decoded from the original with its EXIF orientation
applied, and written without the original's metadata (EXIF, XMP, text
chunks: camera, time and place); only the colour profile is kept.
"""

import hashlib
from collections import defaultdict
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import features
from willow.image import Image as WillowImage

from images.models import Image, ImageFormat, Rendition

# What Pillow may keep from the original's info: the colour profile, and the transparent colour of a palette.
KEPT_INFO = ("icc_profile", "transparency")
QUALITY = {ImageFormat.JPEG: 82, ImageFormat.WEBP: 80, ImageFormat.AVIF: 60}


def modern_formats() -> list[str]:
    """Formats offered in ``<source>`` elements, best first."""
    formats = []
    if settings.IMAGE_AVIF and features.check("avif"):
        formats.append(ImageFormat.AVIF)
    formats.append(ImageFormat.WEBP)
    return formats


def fallback_format(image: Image) -> str:
    """The ``<img src>`` format: the original's, except WebP and AVIF, which become PNG (transparent) or JPEG."""
    if image.format in (ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF):
        return image.format
    return ImageFormat.PNG if image.has_alpha else ImageFormat.JPEG


def widths_for(image: Image, max_width: int | None = None) -> list[int]:
    """The standard widths this image is made in (never upscaled), up to ``max_width``."""
    top = min(image.width, max_width or image.width)
    widths = {width for width in settings.IMAGE_RENDITION_WIDTHS if width < top}
    widths.add(min(top, max(settings.IMAGE_RENDITION_WIDTHS)))
    return sorted(widths)


def height_for(image: Image, width: int) -> int:
    return max(1, round(image.height * width / image.width))


class Source:
    """The original, decoded once, upright and without metadata, for making several renditions."""

    def __init__(self, image: Image):
        with image.file.open("rb") as original:
            data = original.read()
        willow = WillowImage.open(BytesIO(data)).auto_orient()
        pillow = willow.get_pillow_image()
        pillow.info = {key: value for key, value in pillow.info.items() if key in KEPT_INFO}
        self.willow = willow
        self.has_alpha = willow.has_alpha()

    def render(self, width: int, height: int, image_format: str) -> bytes:
        resized = self.willow.resize((width, height)) if (width, height) != self.willow.get_size() else self.willow
        out = BytesIO()
        if image_format == ImageFormat.JPEG:
            if resized.has_alpha():
                resized = resized.set_background_color_rgb((255, 255, 255))
            resized.save_as_jpeg(out, quality=QUALITY[ImageFormat.JPEG], progressive=True, apply_optimizers=False)
        elif image_format == ImageFormat.WEBP:
            resized.save_as_webp(out, quality=QUALITY[ImageFormat.WEBP], apply_optimizers=False)
        elif image_format == ImageFormat.AVIF:
            resized.save_as_avif(out, quality=QUALITY[ImageFormat.AVIF], apply_optimizers=False)
        elif image_format == ImageFormat.PNG:
            resized.save_as_png(out, optimize=True, apply_optimizers=False)
        elif image_format == ImageFormat.GIF:
            resized.save_as_gif(out, apply_optimizers=False)
        else:
            raise ValueError(f"no rendition format {image_format!r}")
        return out.getvalue()


def make_rendition(image: Image, width: int, image_format: str, *, source: Source | None = None) -> Rendition:
    """Make and keep one rendition; if another process made it meanwhile, that one is returned."""
    source = source or Source(image)
    height = height_for(image, width)
    data = source.render(width, height, image_format)
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"{image.content_hash[:12]}-{width}w-{digest}.{ImageFormat(image_format).extension}"
    rendition = Rendition(image=image, width=width, height=height, format=image_format, file_size=len(data))
    rendition.file.save(name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        return Rendition.objects.get(image=image, format=image_format, width=width)
    return rendition


def wanted(image: Image, widths) -> list[tuple[str, int]]:
    formats = [*modern_formats(), fallback_format(image)]
    return [(image_format, width) for image_format in dict.fromkeys(formats) for width in widths]


def make_standard_renditions(image: Image) -> list[Rendition]:
    """Make every standard rendition the image lacks (on upload, replace, or from ``make_renditions``)."""
    have = {(rendition.format, rendition.width) for rendition in image.renditions.all()}
    source = None
    made = []
    for image_format, width in wanted(image, widths_for(image)):
        if (image_format, width) in have:
            continue
        source = source or Source(image)
        made.append(make_rendition(image, width, image_format, source=source))
    return made


def delete_renditions(image: Image) -> None:
    """Remove an image's renditions, files included (before its original is replaced)."""
    for rendition in image.renditions.all():
        rendition.file.delete(save=False)
    image.renditions.all().delete()


def renditions_by_format(image: Image, widths) -> dict[str, list[Rendition]]:
    """``{format: [renditions, narrowest first]}`` for ``widths``, from the image's (prefetched) renditions.

    What is missing is made now and kept: only the first request that needs
    a size pays for it.
    """
    have = {(rendition.format, rendition.width): rendition for rendition in image.renditions.all()}
    source = None
    found = defaultdict(list)
    for image_format, width in wanted(image, widths):
        rendition = have.get((image_format, width))
        if rendition is None:
            source = source or Source(image)
            rendition = make_rendition(image, width, image_format, source=source)
        found[image_format].append(rendition)
    return dict(found)
