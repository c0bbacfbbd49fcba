"""Filters the reader pages use in their hottest loops (article cards, tag lists).

``{{ tag.slug|slug_url:"articles:tag" }}`` is ``{% url "articles:tag" tag.slug %}`` without a
full reverse() per link (publishing/slug_urls.py). ``{{ value|datetime_attr }}`` is the form a
``<time datetime>`` attribute takes, in the site's time zone and without microseconds (HTML
refuses them), the same text as ``date:'Y-m-d\\TH:i:sO'`` at a fraction of the cost.
"""

from django import template
from django.utils import timezone

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
