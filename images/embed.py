"""Library images inside rich text: stored as ``<img data-image="12" alt="...">``, shown as ``<picture>``.

The sanitiser (publishing/html.py) keeps an ``img`` only with a numeric
``data-image`` and never a ``src``; here, at display time, each becomes the
image's current renditions, alt text, caption and credit, so replacing an
image or editing its alt text shows on every page that uses it. An id the
library no longer has shows nothing.
"""

import re

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from images.markup import picture_html

# Sanitised markup only (nh3 writes attributes quoted and escaped); an image alone in a paragraph takes its place.
_EMBED = re.compile(r'(<p>\s*)?<img\b[^>]*?\bdata-image="(\d{1,12})"[^>]*>(\s*</p>)?')
BODY_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
BODY_MAX_WIDTH = 1280


def image_ids(html: str) -> list[int]:
    """The library images a body names, in order, each once."""
    return list(dict.fromkeys(int(match.group(2)) for match in _EMBED.finditer(html or "")))


def body_images(html: str) -> dict:
    """``{id: Image}`` for the images in ``html``, renditions attached: two queries, none without images."""
    from images.models import Image

    ids = image_ids(html)
    if not ids:
        return {}
    return {image.pk: image for image in Image.objects.with_renditions().filter(pk__in=ids)}


def expand_images(html: str, images: dict) -> SafeString:
    """``html`` (already sanitised) with each ``<img data-image>`` replaced by the image's figure."""

    def figure(match: re.Match) -> str:
        image = images.get(int(match.group(2)))
        if image is None:
            return ""
        inline = bool(match.group(1)) != bool(match.group(3))  # inside a paragraph with other text
        picture = picture_html(image, sizes=BODY_SIZES, max_width=BODY_MAX_WIDTH)
        if inline:
            return (match.group(1) or "") + picture + (match.group(3) or "")
        return figure_html(image, picture)

    return mark_safe(_EMBED.sub(figure, html or ""))  # noqa: S308  # nosec B308 B703  # sanitised body + our own escaped markup


def figure_html(image, picture: str) -> str:
    if not (image.caption or image.credit):
        return format_html('<figure class="figure">{}</figure>', mark_safe(picture))  # noqa: S308  # nosec B308 B703
    credit = format_html(' <span class="figure__credit">{}</span>', image.credit) if image.credit else ""
    return format_html(
        '<figure class="figure">{}<figcaption>{}{}</figcaption></figure>',
        mark_safe(picture),  # noqa: S308  # nosec B308 B703  # built with format_html
        image.caption,
        credit,
    )
