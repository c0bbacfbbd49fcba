"""Filters the reader pages use in their hottest loops (article cards, tag lists).

``{{ tag.slug|slug_url:"articles:tag" }}`` is ``{% url "articles:tag" tag.slug %}`` without a
full reverse() per link (publishing/slug_urls.py). ``{{ value|datetime_attr }}`` is the form a
``<time datetime>`` attribute takes, in the site's time zone and without microseconds (HTML
refuses them), the same text as ``date:'Y-m-d\\TH:i:sO'`` at a fraction of the cost.
``{% article_cards articles level %}`` is the card list, rendered by Jinja2 (``medsite/jinja.py``).
"""

from django import template
from django.template import engines
from django.utils import timezone
from django.utils.safestring import mark_safe

from publishing.slug_urls import slug_url as build_slug_url

register = template.Library()


@register.filter
def slug_url(slug: str, view_name: str) -> str:
    return build_slug_url(view_name, slug)


@register.filter
def datetime_attr(value) -> str:
    if not value:
        return ""
    local = timezone.template_localtime(value)
    if timezone.is_naive(local):  # as the date filter does: a naive time is in the site's zone
        local = local.replace(tzinfo=timezone.get_default_timezone())
    return f"{local.year:04d}-{local:%m-%dT%H:%M:%S%z}"  # strftime's %Y does not pad years before 1000


@register.simple_tag
def article_cards(articles, heading_level=None) -> str:
    """The cards of ``articles`` (from ``ArticleQuerySet.for_listing``), headed at ``heading_level`` (3 if not given).

    Jinja2 escapes every value (medsite/jinja.py), so its output is safe to place as it is.
    """
    cards = engines["jinja2"].get_template("articles/cards.html")
    return mark_safe(cards.render({"articles": articles, "level": heading_level or 3}))  # noqa: S308  # nosec B308 B703  # autoescaped by Jinja2
