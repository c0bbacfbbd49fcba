"""What an upload must be before it joins the library, each refusal with a message an editor can act on."""

import hashlib
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError, features

# Pillow's format names for what we accept; AVIF only where this Pillow can decode it.
ORIENTATION = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}
PILLOW_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}


def accepted_formats() -> dict[str, str]:
    accepted = dict(PILLOW_FORMATS)
    if not features.check("avif"):
        accepted.pop("AVIF")
    if not features.check("webp"):
        accepted.pop("WEBP")
    return accepted


def accepted_label() -> str:
    names = [{"jpeg": "JPEG", "webp": "WebP"}.get(name, name.upper()) for name in accepted_formats().values()]
    return ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class UploadInfo:
    width: int
    height: int
    format: str
    has_alpha: bool
    file_size: int
    content_hash: str


def inspect_upload(upload) -> UploadInfo:
    """Check an uploaded file and describe it; raise ``ValidationError`` with the reason it cannot be used.

    The size is checked before anything is read, the pixel count from the
    header before any pixel is decoded (a small file can claim a huge image:
    a decompression bomb), and then the whole image is decoded once, so a
    truncated or corrupt file is refused here rather than on a reader's page.
    """
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; the largest image you can upload is "
            f"{filesizeformat(limit)}. Save it smaller or as JPEG and try again.",
            code="too_large",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    accepted = accepted_formats()
    not_an_image = ValidationError(
        f"This file is not an image we can use. Upload a {accepted_label()} file.", code="not_an_image"
    )
    with warnings.catch_warnings():
        # Above MAX_IMAGE_PIXELS Pillow only warns; here that is a refusal like the error twice above it.
        warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
        try:
            with PillowImage.open(upload, formats=list(accepted)) as image:
                width, height = image.size
                check_pixels(width, height)
                pillow_format = image.format
                # Sizes as readers see the image: EXIF orientations 5 to 8 turn it a quarter.
                if image.getexif().get(ORIENTATION) in QUARTER_TURNS:
                    width, height = height, width
                has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                image.load()
        except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
            raise too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise not_an_image from None
        finally:
            upload.seek(0)
    return UploadInfo(
        width=width,
        height=height,
        format=accepted[pillow_format],
        has_alpha=has_alpha,
        file_size=upload.size,
        content_hash=digest.hexdigest(),
    )


def too_many_pixels() -> ValidationError:
    megapixels = settings.IMAGE_MAX_PIXELS / 1_000_000
    return ValidationError(
        f"This image has too many pixels to process safely (at most {megapixels:g} million). "
        "Resize it to at most 6000 pixels wide and upload it again.",
        code="too_many_pixels",
    )


def check_pixels(width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise too_many_pixels()
