"""The Jinja2 environment of the reader pages' hottest fragment: the list of article cards.

A 20-card list rendered by Django's template engine cost about a third of a
listing page; Jinja2 compiles a template to Python and renders the same
cards in a fraction of that. The page around the cards stays a Django
template (its context, blocks, tags and the page cache's dependencies are
unchanged); ``{% article_cards %}`` (``articles/templatetags/pages.py``)
renders the Jinja2 part into it.

Autoescaping is on, and every value is escaped by Django's own ``escape``
(``finalize``) so the HTML is the same, byte for byte, as the Django template
made: an object that is already safe (``SafeString``, ``Markup``) passes as it
is, anything else is escaped, and markupsafe then takes the result as safe.
"""

import jinja2
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime

from articles.templatetags.pages import datetime_attr, slug_url
from images.templatetags.image_tags import picture


def date(value, format_string: str) -> str:
    """Django's ``date`` filter, given the local time as Django's engine gives it (``expects_localtime``)."""
    return date_filter(template_localtime(value), format_string)


def environment(**options) -> jinja2.Environment:
    # Missing attributes render as nothing, as in Django templates, in development too (no DebugUndefined).
    options["undefined"] = jinja2.Undefined
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = jinja2.Environment(**options, autoescape=True, finalize=conditional_escape)
    env.filters.update(date=date, datetime_attr=datetime_attr, slug_url=slug_url)
    env.globals.update(picture=picture)
    return env
