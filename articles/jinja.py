"""The Jinja2 environment of the reader pages' hottest fragment: the list of article cards.

A 20-card list rendered by Django's template engine cost about a third of a
listing page; Jinja2 compiles a template to Python and renders the same
cards in a fraction of that. The page around the cards stays a Django
template (its context, blocks, tags and the page cache's dependencies are
unchanged); ``{% article_cards %}`` (``articles/templatetags/pages.py``)
renders the Jinja2 part into it.

Autoescaping is on, and every value is escaped as Django's ``escape`` does
(``finalize``) so the HTML is the same, byte for byte, as the Django template
made: an object that is already safe (``SafeString``, ``Markup``) passes as it
is, anything else is escaped, and markupsafe then takes the result as safe.
"""

import html

import jinja2
from django.utils.dates import MONTHS
from django.utils.timezone import template_localtime
from markupsafe import Markup

from articles.templatetags.pages import datetime_attr, slug_url
from images.templatetags.image_tags import picture


def escape(value) -> Markup:
    """Django's ``conditional_escape`` without its lazy-string wrapper (a third of its cost here).

    What is already safe passes as it is; anything else is escaped as Django's
    ``escape`` does (``html.escape``: ``&#x27;`` for ``'``, not markupsafe's ``&#39;``).
    """
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704  # nosec B704  # escaped on this line


def long_date(value) -> str:
    """The same text as Django's ``date:"j F Y"`` ("4 December 2026") in the site's time zone, without
    parsing a format string for each card."""
    if value in (None, ""):
        return ""
    local = template_localtime(value)
    return f"{local.day} {MONTHS[local.month]} {local.year:04d}"


def environment(**options) -> jinja2.Environment:
    # Missing attributes render as nothing, as in Django templates, in development too (no DebugUndefined).
    options["undefined"] = jinja2.Undefined
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = jinja2.Environment(**options, autoescape=True, finalize=escape)
    env.filters.update(long_date=long_date, datetime_attr=datetime_attr, slug_url=slug_url)
    env.globals.update(picture=picture)
    return env
