"""A page's rich text with its ``[1]`` markers linked to its numbered references, and back."""

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString, mark_safe

from publishing.html import link_citations

register = template.Library()


@dataclass(frozen=True)
class CitedBody:
    html: SafeString
    cited: frozenset[int]


@register.simple_tag
def cited_body(body: str, references) -> CitedBody:
    """``body`` (sanitised when stored) with citation links; ``references`` is the page's loaded list."""
    html, cited = link_citations(body, len(references))
    # link_citations returns the display cleaner's output (publishing/html.py): nothing else reaches the page.
    return CitedBody(html=mark_safe(html), cited=frozenset(cited))  # noqa: S308  # nosec B308 B703
