from django import template

from images.embed import expand_images, image_ids
from images.markup import picture_html, social_image

register = template.Library()


@register.simple_tag
def picture(image, sizes: str = "100vw", max_width: int | None = None, above_fold: bool = False, css_class: str = ""):
    """``{% picture article.featured_image sizes="..." max_width=1280 above_fold=True %}``; nothing without an image."""
    if not image:
        return ""
    return picture_html(image, sizes=sizes, max_width=max_width, above_fold=above_fold, css_class=css_class)


@register.simple_tag
def body_with_images(html: str, images):
    """A sanitised body with its library images as ``<figure><picture>``; ``images`` from ``body_images``."""
    return expand_images(html, images or {})


@register.filter
def shown_in(image, body: str) -> bool:
    """Whether the sanitised ``body`` shows ``image`` too (a page shows one picture once: WordPress posts often
    repeat their featured image in the text)."""
    return bool(image) and image.pk in image_ids(body)


@register.simple_tag(takes_context=True)
def social_image_data(context, image) -> dict | None:
    """Absolute URL, size, type and alt text of the image link previews show (``og:image``)."""
    request = context.get("request")
    if not image or request is None:
        return None
    rendition = social_image(image)
    return {
        "url": request.build_absolute_uri(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "type": f"image/{rendition.format}",
        "alt": image.alt,
    }
