"""The ``<picture>`` markup for an image: sources per format with ``srcset``, and a sized, lazy ``<img>``."""

from django.utils.html import format_html, format_html_join

from images.models import ImageFormat
from images.renditions import fallback_format, renditions_by_format, widths_for


def srcset(renditions) -> str:
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def picture_html(
    image, *, sizes: str, max_width: int | None = None, above_fold: bool = False, css_class: str = ""
) -> str:
    """``<picture>`` with an AVIF/WebP ``<source>`` each and the fallback ``<img>``.

    The ``<img>`` has the width and height of its largest rendition (the
    browser keeps the space, so nothing shifts as it loads), the library's
    alt text (empty for decoration), and ``loading="lazy"`` unless the image
    is above the fold, where it loads eagerly instead.
    """
    by_format = renditions_by_format(image, widths_for(image, max_width))
    fallback = by_format[fallback_format(image)]
    largest = fallback[-1]
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (ImageFormat(image_format).mime_type, srcset(renditions), sizes)
            for image_format, renditions in by_format.items()
            if image_format != fallback_format(image)
        ),
    )
    # Not fetchpriority="high": the Nu HTML checker we validate with rejects it; eager is the default anyway.
    loading = ("loading", "eager") if above_fold else ("loading", "lazy")
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} {}="{}" decoding="async">'
        "</picture>",
        sources,
        largest.url,
        srcset(fallback),
        sizes,
        largest.width,
        largest.height,
        image.alt,
        format_html(' class="{}"', css_class) if css_class else "",
        *loading,
    )


def social_image(image):
    """The rendition link previews and JSON-LD name: the fallback format, about 1200 pixels wide."""
    renditions = renditions_by_format(image, widths_for(image, 1280))[fallback_format(image)]
    return renditions[-1]
