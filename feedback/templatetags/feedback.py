"""``{% feedback_form page %}``: the "Was this page helpful?" form, plain HTML that works in a cached page.

The content types' templates load this library by name; their Python code
never imports the feedback app, which sits above them.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from feedback.models import COMMENT_MAX_LENGTH
from feedback.tokens import page_token

register = template.Library()


@register.inclusion_tag("feedback/form.html", takes_context=True)
def feedback_form(context, page):
    request = context.get("request")
    return {
        "token": page_token(page),
        "thanks": request is not None and request.GET.get("feedback") == "thanks",
        "comment_max": COMMENT_MAX_LENGTH,
        "is_preview": context.get("is_preview", False),
    }


@register.simple_tag
def feedback_script():
    """The form's progressive enhancement (answer in place), for the page's scripts block."""
    return format_html('<script src="{}" defer></script>', static("feedback/feedback.js"))
