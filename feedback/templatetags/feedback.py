"""``{% feedback_script %}``: the "Was this page helpful?" form's script, for a page's scripts block.

The form itself is the Jinja2 part ``feedback/form.html`` (plain HTML that works in a cached page), which the
article page includes and the drug page places with ``{% jinja "feedback/form.html" page=drug %}``. The content
types' templates name it; their Python code never imports the feedback app, which sits above them.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def feedback_script():
    """The form's progressive enhancement (answer in place), for the page's scripts block."""
    return format_html('<script src="{}" defer></script>', static("feedback/feedback.js"))
