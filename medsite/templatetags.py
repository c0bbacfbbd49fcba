"""``{% jinja "includes/header.html" name=value ... %}``: a Jinja2 part (``medsite/jinja.py``) placed in a Django
template, rendered with that template's context and the values given."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str, **values) -> str:
    part = engines["jinja2"].env.get_template(template_name)
    return mark_safe(part.render({**context.flatten(), **values}))  # noqa: S308  # nosec B308 B703  # autoescaped by Jinja2
