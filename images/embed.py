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
from images.renditions import fallback_format, renditions_by_format, widths_for

# Sanitised markup only (nh3 writes attributes quoted and escaped); an image alone in a paragraph takes its place.
_EMBED = re.compile(r'(<p>\s*)?<img\b[^>]*?\bdata-image="(\d{1,12})"[^>]*>(\s*</p>)?')
BODY_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
BODY_MAX_WIDTH = 1280


def stands_alone(match: re.Match) -> bool:
    """Whether the image is a block of its own (alone in its paragraph, or outside any) rather than in text.

    A ``<figure>`` may not sit inside a ``<p>``: an image between words of a
    paragraph stays inline.
    """
    if match.group(1) and match.group(3):
        return True
    if match.group(1) or match.group(3):
        return False
    before = match.string[: match.start()]
    return before.rfind("</p>") >= max(before.rfind("<p>"), before.rfind("<p "))


def _embeds(html: str | None) -> bool:
    """Whether ``html`` may hold an image: most bodies hold none, and a substring test is far quicker than
    running ``_EMBED`` over 10 kB of text (every match contains it)."""
    return bool(html) and 'data-image="' in html


def image_ids(html: str) -> list[int]:
    """The library images a body names, in order, each once."""
    if not _embeds(html):
        return []
    return list(dict.fromkeys(int(match.group(2)) for match in _EMBED.finditer(html)))


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
        picture = picture_html(image, sizes=BODY_SIZES, max_width=BODY_MAX_WIDTH)
        if not stands_alone(match):
            return (match.group(1) or "") + picture + (match.group(3) or "")
        return figure_html(image, picture)

    if not _embeds(html):
        return mark_safe(html or "")  # noqa: S308  # nosec B308 B703  # sanitised body
    return mark_safe(_EMBED.sub(figure, html))  # noqa: S308  # nosec B308 B703  # sanitised body + our own escaped markup


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


def images_of_bodies(bodies) -> dict:
    """``{id: Image}`` for the images in all of ``bodies`` (a feed's items): two queries however many."""
    from images.models import Image

    ids = list(dict.fromkeys(pk for html in bodies for pk in image_ids(html)))
    if not ids:
        return {}
    return {image.pk: image for image in Image.objects.with_renditions().filter(pk__in=ids)}


def plain_rendition(image):
    """The widest stored fallback-format rendition up to the body's width (made only when none is stored)."""
    fallback = fallback_format(image)
    stored = [
        rendition
        for rendition in image.renditions.all()
        if rendition.format == fallback and rendition.width <= BODY_MAX_WIDTH
    ]
    if stored:
        return max(stored, key=lambda rendition: rendition.width)
    return renditions_by_format(image, widths_for(image, BODY_MAX_WIDTH))[fallback][-1]


def expand_images_absolute(html: str, images: dict, absolute_uri) -> SafeString:
    """``html`` for readers elsewhere (feeds, the API): each ``<img data-image>`` a plain ``<img src>``.

    Feed readers and API clients know neither ``<picture>`` nor our
    stylesheet: each image is one ``<img>`` of a JPEG, PNG or GIF every
    reader shows, with an absolute ``src`` (``absolute_uri`` makes it, as
    ``request.build_absolute_uri``), its width, height and alt text; in a
    ``<figure>`` with its caption and credit when it stands alone and has
    them. An id the library no longer has shows nothing, so no ``<img>``
    ever lacks a ``src``.
    """

    def replace(match: re.Match) -> str:
        image = images.get(int(match.group(2)))
        if image is None:
            return ""
        rendition = plain_rendition(image)
        img = format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            absolute_uri(rendition.url),
            rendition.width,
            rendition.height,
            image.alt,
        )
        if not stands_alone(match):
            return (match.group(1) or "") + img + (match.group(3) or "")
        if not (image.caption or image.credit):
            return format_html("<figure>{}</figure>", img)
        caption = " ".join(part for part in (image.caption, image.credit) if part)
        return format_html("<figure>{}<figcaption>{}</figcaption></figure>", img, caption)

    return mark_safe(_EMBED.sub(replace, html or ""))  # noqa: S308  # nosec B308 B703  # sanitised body + our own escaped markup
