"""The one place that decides which HTML an article body may contain.

Editor input, imports and anything else that stores rich text go through
``sanitize_html``. The allowlist matches what the rich-text editor can make;
anything else (scripts, event handlers, iframes, style, ``javascript:`` and
``data:`` links) is dropped by nh3.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "type"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return ``html`` with everything outside the allowlist removed."""
    cleaned = _cleaner.clean(html or "").strip()
    # The editor saves an empty document as one empty paragraph.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned
