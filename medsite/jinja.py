"""The Jinja2 environment of the reader pages' hottest templates.

The listing pages (home, category, tag), the article page and the search page
are Jinja2 templates, and so are the parts every public page shares (header,
footer, breadcrumbs, link-preview metadata, pagination), the article cards and
the parts the article, drug and site pages share (featured image, medical
review, references, change log, the feedback form). Django's template engine spent
about half of a 20-card page's server time rendering them; Jinja2 compiles a
template to Python and renders the same markup in a fraction of that. The
other pages stay Django templates and place the shared parts with
``{% jinja "includes/header.html" %}`` (``medsite/templatetags.py``), so each
part has one source. The page cache reads a Jinja2 page's context as it reads
a Django one (the view's ``TemplateResponse``).

Autoescaping is on, with markupsafe's own escaping: what is already safe
(Django's ``SafeString``, ``Markup``: anything with ``__html__``) passes as
it is, anything else is escaped. The one difference from Django's ``escape``
is how quotes are written (``&#39;`` and ``&#34;`` for ``&#x27;`` and
``&quot;``: the same characters to a browser); matching Django byte for byte
through a ``finalize`` escape cost about a tenth of a listing page's time
(a second escape of every value printed, some 370 on a page of 20 cards).
"""

import datetime
from functools import cache

import jinja2
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.text import Truncator
from django.utils.translation import get_language

from articles.cards import card_setting, kept_card
from articles.templatetags.pages import slug_url
from feedback.models import COMMENT_MAX_LENGTH
from feedback.templatetags.feedback import feedback_script
from feedback.tokens import page_token
from images.templatetags.image_tags import body_with_images, picture, shown_in, social_image_data
from pages.templatetags.site_navigation import navigation
from publishing.templatetags.citations import cited_body
from search.templatetags.seo import article_data, breadcrumb_data, canonical_url, faq_data, jsonld


def in_zone(value, zone):
    """``value`` in ``zone``: the site's time zone, looked up once for a list (``{% set zone = current_zone() %}``)
    rather than for each date of each card. A naive time is taken to be in the site's zone, as Django does."""
    if not value:
        return None
    if timezone.is_naive(value):
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def long_date(local) -> str:
    """The same text as Django's ``date:"j F Y"`` ("4 December 2026") for an ``in_zone`` time."""
    return f"{local.day} {_month_names(get_language())[local.month]} {local.year:04d}" if local else ""


@cache
def _month_names(language: str | None) -> dict[int, str]:
    """The months' names in ``language``, translated once rather than for every date of every card."""
    with translation.override(language):
        return {number: str(name) for number, name in MONTHS.items()}


def datetime_attr(local) -> str:
    """The same text as ``articles.templatetags.pages.datetime_attr`` for an ``in_zone`` time."""
    if not local:
        return ""
    return (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d}T{local.hour:02d}:{local.minute:02d}:{local.second:02d}"
        + _offset_text(local.utcoffset())
    )


@cache
def _offset_text(offset: datetime.timedelta | None) -> str:
    """``strftime("%z")`` of a time this far from UTC ("+0100"): worked out once per offset, as strftime was the
    largest single cost of rendering a page of cards (a twentieth of a category page's time)."""
    if offset is None:
        return ""
    return datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone(offset)).strftime("%z")


def url(view_name: str, *args) -> str:
    """``{% url view_name arg ... %}``; an address without arguments (a feed, the search page) is reversed once per
    script prefix, not on every page (a dozen on each, 17 µs apiece)."""
    if args:
        return reverse(view_name, args=args)
    return _fixed_url(view_name, get_script_prefix())


@cache
def _fixed_url(view_name: str, script_prefix: str) -> str:
    return reverse(view_name)


def static_url(path: str) -> str:
    """``{% static path %}``, looked up once per path and script prefix rather than on every page (three on each,
    a manifest lookup and a URL join apiece). Forgotten when the static files settings change."""
    return _static_url(path, get_script_prefix())


@cache
def _static_url(path: str, script_prefix: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_static_urls(*, setting, **kwargs) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS"}:
        _static_url.cache_clear()


def truncatechars(value, length: int) -> str:
    """Django's ``truncatechars`` filter."""
    return Truncator(value).chars(length)


def environment(**options) -> jinja2.Environment:
    # Missing attributes render as nothing, as in Django templates, in development too (no DebugUndefined), and so
    # do their attributes: a reviewer without a profile has no credentials (``reviewed_by.reviewer_profile``
    # raises RelatedObjectDoesNotExist, which Django's templates swallow).
    options["undefined"] = jinja2.ChainableUndefined
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = jinja2.Environment(**options, autoescape=True)
    env.filters.update(
        in_zone=in_zone,
        long_date=long_date,
        datetime_attr=datetime_attr,
        slug_url=slug_url,
        truncatechars=truncatechars,
        shown_in=shown_in,
    )
    env.globals.update(
        picture=picture,
        body_with_images=body_with_images,
        cited_body=cited_body,
        feedback_token=page_token,
        feedback_comment_max=COMMENT_MAX_LENGTH,
        feedback_script=feedback_script,
        static=static_url,
        current_zone=timezone.get_current_timezone,
        kept_card=kept_card,
        card_setting=card_setting,
        url=url,
        jsonld=jsonld,
        # The template tags that read the page's context (its request, page number, breadcrumbs) read a
        # Jinja2 context the same way.
        canonical_url=jinja2.pass_context(canonical_url),
        breadcrumb_data=jinja2.pass_context(breadcrumb_data),
        social_image_data=jinja2.pass_context(social_image_data),
        navigation=jinja2.pass_context(navigation),
        article_data=jinja2.pass_context(article_data),
        faq_data=jinja2.pass_context(faq_data),
    )
    return env
