"""Navigation for the base template, as bakerydemo's navigation tags do it."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_home(context):
    """The site's home page, specific: its tag route makes the tag links."""
    return Site.find_for_request(context["request"]).root_page.specific


@register.inclusion_tag("health/includes/category_menu.html", takes_context=True)
def category_menu(context, home):
    return {"request": context["request"], "categories": home.get_children().live().in_menu()}
