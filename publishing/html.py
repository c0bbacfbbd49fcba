"""The one place that decides which HTML an article body may contain.

Editor input, imports and anything else that stores rich text go through
``sanitize_html``. The allowlist matches what the rich-text editor can make;
anything else (scripts, event handlers, iframes, style, ``javascript:`` and
``data:`` links) is dropped by nh3.

Before cleaning, ``normalize_pasted_html`` turns the markup Word and Google
Docs put on the clipboard into the structure it stands for (headings, lists,
bold), since the allowlist alone would keep only the words. The editor does
the same on paste (workflow/static/workflow/editor-extensions.js); this is
the copy that counts, for imports and for anything that bypasses the editor.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "type"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    # An image of our library, named by its number; never a src (images/embed.py renders it for readers).
    "img": {"data-image", "alt"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# A cell spanning more than this is a mistake or an attack on the layout.
MAX_CELL_SPAN = 20
HEADER_SCOPES = {"row", "col", "rowgroup", "colgroup"}
# Our highest heading level: the page's title is the h1.
TOP_HEADING, LOWEST_HEADING = 2, 4


def _bounded_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "data-image":
        return value if value.isdigit() and len(value) <= 12 else None
    if name in {"colspan", "rowspan"}:
        return value if value.isdigit() and 1 <= int(value) <= MAX_CELL_SPAN else None
    if name == "scope":
        return value.lower() if value.lower() in HEADER_SCOPES else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_bounded_attribute,
)


# A parser drops the newline that directly follows <pre>; HTML's serialisation rules write one back when the text
# starts with a newline, and nh3 does not, so a body's leading blank line in a code block would shrink on each save.
_PRE_STARTING_WITH_NEWLINE = re.compile(r"<pre>\n")

# nh3's output quotes every attribute: an <img> left without our data-image (a foreign src, a bad number) goes.
_FOREIGN_IMAGE = re.compile(r"<img\b(?![^>]*\sdata-image=\"\d+\")[^>]*>")


def sanitize_html(html: str) -> str:
    """Return ``html`` with pasted office markup made structural and everything outside the allowlist removed.

    Images stay only as ``<img data-image="12" alt="...">``, naming an image of our library.
    """
    cleaned = _FOREIGN_IMAGE.sub("", _cleaner.clean(normalize_pasted_html(html or ""))).strip()
    cleaned = _PRE_STARTING_WITH_NEWLINE.sub("<pre>\n\n", cleaned)
    # The editor saves an empty document as one empty paragraph.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


# --- Word and Google Docs clipboard markup ---

_FLAGS = re.IGNORECASE | re.DOTALL
# Word wraps a list item's typed bullet or number in a conditional comment (kept raw, or as the comment browsers
# make of it), or in a span styled mso-list:Ignore.
_WORD_MARKER = re.compile(
    r"<!(?:--)?\[if !supportLists\](?:--)?>(.*?)<!(?:--)?\[endif\](?:--)?>"
    r"|<span[^>]*mso-list:\s*Ignore[^>]*>((?:[^<]|<span[^>]*>[^<]*</span>)*)</span>",
    _FLAGS,
)
_PARAGRAPH = re.compile(r"<p\b([^>]*)>(.*?)</p>", _FLAGS)
_LIST_PARAGRAPH = re.compile(r"class=[\"']?MsoListParagraph|mso-list:\s*l\d", re.IGNORECASE)
_LIST_LEVEL = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
_NUMBER_MARKER = re.compile(r"^\(?[0-9a-z]{1,4}[.)]", re.IGNORECASE)
_TYPED_BULLET = re.compile(r"^\s*(?:[·•▪◦§o\-–]|\(?[0-9a-z]{1,4}[.)])(?:&nbsp;|\s|\xa0)+", re.IGNORECASE)
_WORD_HEADING = re.compile(r"<p\b([^>]*class=[\"']?Mso(?:Heading(\d)|Title)\b[^>]*)>(.*?)</p>", _FLAGS)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_DOCS_WRAPPER = re.compile(r"<b\b[^>]*id=[\"']?docs-internal-guid-[^>]*>", re.IGNORECASE)
_STYLED_SPAN = re.compile(r"<span\b[^>]*style=\"([^\"]*)\"[^>]*>([^<]*)</span>", re.IGNORECASE)
_BOLD = re.compile(r"font-weight:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_ITALIC = re.compile(r"font-style:\s*italic", re.IGNORECASE)


def normalize_pasted_html(html: str) -> str:
    """Word's and Google Docs' clipboard HTML as plain structure: headings, real lists, bold and italic.

    Only markup those programs make is touched (Mso classes, mso-list styles,
    the docs-internal-guid wrapper, styled spans), so already clean HTML passes
    unchanged and sanitising twice gives the same result.
    """
    html = _unwrap_google_docs(html)
    html = _STYLED_SPAN.sub(_span_as_marks, html)
    html = _WORD_HEADING.sub(_word_heading, html)
    html = _shift_headings(html)
    return _word_lists(html)


def _unwrap_google_docs(html: str) -> str:
    # Google Docs wraps the whole selection in one <b style="font-weight:normal">, closed by the last </b>.
    wrapper = _DOCS_WRAPPER.search(html)
    if wrapper is None:
        return html
    html = html[: wrapper.start()] + html[wrapper.end() :]
    end = html.lower().rfind("</b>")
    return html if end < wrapper.start() else html[:end] + html[end + len("</b>") :]


def _span_as_marks(match: re.Match) -> str:
    style, text = match.group(1), match.group(2)
    if _ITALIC.search(style):
        text = f"<em>{text}</em>"
    if _BOLD.search(style):
        text = f"<strong>{text}</strong>"
    return text


def _word_heading(match: re.Match) -> str:
    level = match.group(2) or "1"
    return f"<h{level}>{match.group(3)}</h{level}>"


def _shift_headings(html: str) -> str:
    """Pasted text whose top level is h1 moves down a level (our top is h2); nothing goes below h4."""
    shift = 1 if re.search(r"<h1\b", html, re.IGNORECASE) else 0

    def level(match: re.Match) -> str:
        new = min(max(int(match.group(2)) + shift, TOP_HEADING), LOWEST_HEADING)
        return f"<{match.group(1)}h{new}"

    return _HEADING_TAG.sub(level, html)


def _word_lists(html: str) -> str:
    """Runs of Word's list paragraphs ("·&nbsp; text") become nested ``<ul>``/``<ol>`` lists."""
    out, items, last = [], [], 0
    for match in _PARAGRAPH.finditer(html):
        attrs, inner = match.group(1), match.group(2)
        if not _LIST_PARAGRAPH.search(attrs):
            continue
        between = html[last : match.start()]
        if items and between.strip():
            out.append(_render_list(items))
            items = []
        out.append(between if not items else "")
        items.append(_list_item(attrs, inner))
        last = match.end()
    if items:
        out.append(_render_list(items))
    out.append(html[last:])
    return "".join(out)


def _list_item(attrs: str, inner: str) -> tuple[int, bool, str]:
    """(level, ordered, text) of one Word list paragraph, its typed marker removed."""
    level_match = _LIST_LEVEL.search(attrs)
    level = int(level_match.group(1)) if level_match else 1
    marker = _WORD_MARKER.search(inner)
    if marker is not None:
        typed = re.sub(r"<[^>]+>|&nbsp;|\s|\xa0", "", marker.group(1) or marker.group(2) or "")
        text = _WORD_MARKER.sub("", inner, count=1)
    else:
        typed = re.sub(r"<[^>]+>", "", inner).lstrip()[:6]
        text = _TYPED_BULLET.sub("", inner, count=1)
    return level, bool(_NUMBER_MARKER.match(typed)), text.strip()


def _render_list(items: list[tuple[int, bool, str]]) -> str:
    parts, open_lists = [], []
    for level, ordered, text in items:
        while len(open_lists) > level or (len(open_lists) == level and open_lists[-1] != ordered):
            parts.append("</li></ol>" if open_lists.pop() else "</li></ul>")
        if len(open_lists) == level:
            parts.append("</li>")
        while len(open_lists) < level:
            open_lists.append(ordered)
            parts.append("<ol>" if ordered else "<ul>")
        parts.append(f"<li>{text}")
    while open_lists:
        parts.append("</li></ol>" if open_lists.pop() else "</li></ul>")
    return "".join(parts)


# --- Citation markers, added at display time ---

# What the page adds to a stored body to link "[1]" to reference 1: a superscript link with an id to come back to.
# Editors cannot store these attributes (the allowlist above has no id or class); only this display step makes them,
# and its output goes through the cleaner below, which allows exactly that much more.
_CITATION_ID = re.compile(r"^cite-\d{1,3}(?:-\d{1,3})?$")
_CITATION_HREF = re.compile(r"^#ref-\d{1,3}$")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_TAG = re.compile(r"(<[^>]*>)")


def _citation_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "id":
        return value if _CITATION_ID.match(value) else None
    if tag == "a" and name == "href" and value.startswith("#"):
        return value if _CITATION_HREF.match(value) else None
    if name == "class":
        return value if (tag, value) in {("sup", "cite"), ("a", "cite__link")} else None
    return _bounded_attribute(tag, name, value)


_display_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={**ALLOWED_ATTRIBUTES, "a": {"href", "title", "id", "class"}, "sup": {"class"}},
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_citation_attribute,
)


def link_citations(html: str, count: int) -> tuple[str, list[int]]:
    """``html`` (a sanitised body) with each ``[n]`` for 1 <= n <= ``count`` linked to reference n.

    Returns the new HTML and the numbers cited, first occurrence first. Markers inside a link stay text (links
    do not nest); the first marker for reference n gets the id ``cite-n``, later ones ``cite-n-2``, ``cite-n-3``.
    """
    if not html or count < 1 or "[" not in html:
        return html or "", []
    seen: dict[int, int] = {}
    inside_link = 0
    parts = []
    for part in _TAG.split(html):
        if part.startswith("<"):
            lowered = part.lower()
            if lowered.startswith("<a ") or lowered == "<a>":
                inside_link += 1
            elif lowered.startswith("</a"):
                inside_link = max(0, inside_link - 1)
            parts.append(part)
        elif inside_link:
            parts.append(part)
        else:
            parts.append(_MARKER.sub(lambda match: _marker(match, count, seen), part))
    return _display_cleaner.clean("".join(parts)), list(seen)


def _marker(match: re.Match, count: int, seen: dict[int, int]) -> str:
    number = int(match.group(1))
    if not 1 <= number <= count:
        return match.group(0)
    seen[number] = seen.get(number, 0) + 1
    anchor = f"cite-{number}" if seen[number] == 1 else f"cite-{number}-{seen[number]}"
    return (
        f'<sup class="cite"><a class="cite__link" id="{anchor}" href="#ref-{number}" '
        f'title="Reference {number}">[{number}]</a></sup>'
    )
