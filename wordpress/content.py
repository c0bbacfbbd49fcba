"""A WordPress post's ``post_content`` (from a WXR export) as a medsite body.

``convert_body`` runs the steps WordPress itself runs when it shows a post,
then turns what is left into what our editor stores:

1. block-editor comments (``<!-- wp:paragraph -->``) go, their HTML stays;
2. shortcodes: ``[caption]`` becomes a figure, ``[gallery]`` its images,
   ``[embed]`` and a URL alone on a line a plain link (we embed no
   third-party players); every other shortcode is dropped and counted;
3. ``wpautop`` makes paragraphs of blank lines in classic posts (WordPress
   skips it for block-editor posts, whose HTML already has them, and so do we);
4. links to the old site go through ``rewrite_url``, images of the old site
   become our library images (``<img data-image="12" alt="...">``);
5. ``publishing.html.sanitize_html``, the editor's own sanitiser, has the
   last word.

Only the standard library and ``publishing`` are imported: the importer that
calls this knows about articles and images, this module does not.
"""

import html
import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from publishing.html import sanitize_html


@dataclass
class ConvertedBody:
    html: str  # sanitised, ready to store in a body field
    dropped_shortcodes: Counter = field(default_factory=Counter)  # shortcode name -> count, for the import report
    # Old-site URLs (links and images) that could not be mapped, for the report, each once; also any image we had to
    # drop, wherever it lived, since an image without a library id cannot stay in a body.
    unresolved_links: list[str] = field(default_factory=list)
    # Library image id -> the caption the post gave it (plain text). Our captions live on the library image
    # (images/embed.py shows image.caption under it), not in the body: the importer may copy these to images that
    # have none.
    captions: dict[int, str] = field(default_factory=dict)


def convert_body(
    raw: str,
    *,
    site_url: str,
    rewrite_url: Callable[[str], str | None],
    image_id_for_url: Callable[[str], int | None],
    image_id_for_attachment: Callable[[int], int | None] | None = None,
) -> ConvertedBody:
    """``raw`` post content from a WXR export as a sanitised medsite body, with what did not come across.

    The callbacks get absolute URLs on the old site in one form: ``site_url``'s
    scheme and host (so ``http://www.`` variants need no care), no fragment.
    ``rewrite_url`` returns the new local path or None; ``image_id_for_url``
    and ``image_id_for_attachment`` (a WordPress attachment id, from
    ``[gallery ids]`` and block images' ``wp-image-N`` class) return a library
    image's id or None. Without ``image_id_for_attachment`` galleries are
    dropped and counted.
    """
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    has_blocks = "<!-- wp:" in text
    text = strip_block_comments(text)
    # Library images a gallery names carry this per-call token, so a post cannot smuggle in its own data-image.
    token = secrets.token_hex(8)
    dropped: Counter = Counter()
    text = _Shortcodes(dropped, token, image_id_for_attachment).replace(text)
    text = _link_bare_urls(text)
    if not has_blocks:
        text = wpautop(text)
    rewriter = _BodyRewriter(
        _Site(site_url),
        rewrite_url=rewrite_url,
        image_id_for_url=image_id_for_url,
        image_id_for_attachment=image_id_for_attachment,
        token=token,
    )
    rewriter.feed(text)
    rewriter.close()
    body = _as_editor_blocks(sanitize_html(rewriter.html()))
    return ConvertedBody(
        html=body,
        dropped_shortcodes=dropped,
        unresolved_links=list(dict.fromkeys(url for url in rewriter.unresolved if url)),
        captions=rewriter.captions,
    )


# --- 1. Block-editor comments ---

# <!-- wp:image {"id":12} /-->, <!-- wp:paragraph -->, <!-- /wp:heading -->; attributes are JSON and may hold anything.
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)


def strip_block_comments(text: str) -> str:
    return _BLOCK_COMMENT.sub("", text)


# --- 2. Shortcodes ---

# An opening shortcode tag, after WordPress's get_shortcode_regex(), for any name starting with a letter (so "[1]"
# and "[2, 3]", our citation markers, never match): 1 an extra "[" (escaped), 2 the name, 3 the attributes, 4 "/"
# when self-closing. The enclosed content, up to "[/name]", and a closing "]" of an escaped one are found after.
_SHORTCODE_OPENING = re.compile(r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)(?:(/)\]|\])")
# WordPress's shortcode_parse_atts(): name="value", name='value', name=value, then positional values.
_SHORTCODE_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# WordPress treats only registered names as shortcodes; we cannot know a site's plugins, so a bracketed word is
# one when it looks like one (a name=value attribute, "/]", a closing tag, a "-" or "_" in its name) or is a
# common one. "[sic]" or "[citation needed]" in a quotation stays text.
_KNOWN_SHORTCODES = {
    "audio", "video", "playlist", "gallery", "caption", "embed", "wpvideo", "youtube", "vimeo", "soundcloud",
    "contact-form", "wpforms", "gravityform", "gravityforms", "formidable", "toc", "button", "tweet", "instagram",
}  # fmt: skip
_URL_ONLY = re.compile(r"https?://[^\s<>\"]+")
# The image (possibly linked) at the start of a [caption]; the rest is the caption's text.
_CAPTIONED_IMAGE = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE)


def shortcode_attributes(text: str) -> dict[str, str]:
    """Named attributes of a shortcode's opening tag (positional ones are not needed here)."""
    attributes = {}
    for match in _SHORTCODE_ATTRIBUTE.finditer(text.replace("\xa0", " ").replace("\u200b", " ")):
        for name_group in (1, 3, 5):
            if match.group(name_group):
                attributes[match.group(name_group).lower()] = match.group(name_group + 1)
    return attributes


class _Shortcodes:
    def __init__(self, dropped: Counter, token: str, image_id_for_attachment):
        self.dropped = dropped
        self.token = token
        self.image_id_for_attachment = image_id_for_attachment

    def replace(self, text: str) -> str:
        """``text`` with each shortcode replaced, scanning once (a regex for the whole shortcode, as WordPress has,
        rescans the rest of the text for a closing tag at every bracketed word)."""
        out, position = [], 0
        next_closing: dict[str, int] = {}  # name -> where its next "[/name]" starts (-1: none left)
        while (opening := _SHORTCODE_OPENING.search(text, position)) is not None:
            opening_extra, name, raw_attributes, self_closing = opening.groups()
            end, content = opening.end(), None
            if not self_closing:
                closing = next_closing.get(name)
                if closing is None or (closing != -1 and closing < end):
                    closing = next_closing[name] = text.find(f"[/{name}]", end)
                if closing != -1:
                    content, end = text[end:closing], closing + len(name) + 3
            closing_extra = "]" if text.startswith("]", end) else ""
            replaced = self._one(
                text[opening.start() : end + len(closing_extra)],
                opening_extra,
                name,
                raw_attributes,
                self_closing,
                content,
                closing_extra,
            )
            if replaced is None:  # not a shortcode after all: its "[" is text, and what follows is looked at again
                out.append(text[position : opening.start() + 1])
                position = opening.start() + 1
                continue
            out.append(text[position : opening.start()] + replaced)
            position = end + len(closing_extra)
        out.append(text[position:])
        return "".join(out)

    def _one(self, whole, opening_extra, name, raw_attributes, self_closing, content, closing_extra) -> str | None:
        if opening_extra and closing_extra:
            return whole[1:-1]  # [[foo]] is how a post writes "[foo]" as text
        tag = name.lower()
        attributes = shortcode_attributes(raw_attributes)
        if not (
            content is not None or self_closing or attributes or tag in _KNOWN_SHORTCODES or "-" in tag or "_" in tag
        ):
            return None
        inner = content or ""
        # A stray "[" before or "]" after belongs to the text around, not to the shortcode.
        before, after = opening_extra, closing_extra
        if tag in {"caption", "wp_caption"}:
            return before + self._caption(inner, attributes) + after
        if tag == "gallery":
            return before + self._gallery(attributes) + after
        if tag == "embed" and _URL_ONLY.fullmatch(inner.strip()):
            url = inner.strip()  # already HTML text, and without quotes or angle brackets
            return f'{before}<a href="{url}">{url}</a>{after}'
        self.dropped[tag] += 1
        # An enclosing shortcode's words are the post's; its own markup (an audio player's <source>s) the
        # sanitiser removes.
        return before + self.replace(inner) + after

    def _caption(self, inner: str, attributes: dict[str, str]) -> str:
        found = _CAPTIONED_IMAGE.match(inner)
        if found is None:
            self.dropped["caption"] += 1
            return self.replace(inner)
        image, caption = found.group(1), found.group(2).strip() or attributes.get("caption", "")
        figcaption = f"<figcaption>{self.replace(caption)}</figcaption>" if caption else ""
        return f"<figure>{image}{figcaption}</figure>"

    def _gallery(self, attributes: dict[str, str]) -> str:
        ids = [part.strip() for part in (attributes.get("ids") or attributes.get("include") or "").split(",")]
        attachment_ids = [int(part) for part in ids if part.isdigit()]
        if self.image_id_for_attachment is None or not attachment_ids:
            # A bare [gallery] shows "the images attached to this post", which the body alone cannot name.
            self.dropped["gallery"] += 1
            return ""
        figures = []
        for attachment_id in attachment_ids:
            image_id = self.image_id_for_attachment(attachment_id)
            if image_id is None:
                # Left for the rewriter to report as an unresolved image, in the attachment's own URL form.
                figures.append(f'<figure><img src="?attachment_id={attachment_id}" alt=""></figure>')
            else:
                figures.append(f'<figure><img data-image="{int(image_id)}" data-import="{self.token}" alt=""></figure>')
        return "".join(figures)


# WordPress's autoembed: a URL alone on its line (its players are third-party; we link instead).
_BARE_URL_LINE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.MULTILINE)
_PRE_BLOCK = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)


def _link_bare_urls(text: str) -> str:
    parts = _PRE_BLOCK.split(text)
    for index in range(0, len(parts), 2):  # the odd parts are <pre> blocks, left alone
        parts[index] = _BARE_URL_LINE.sub(
            lambda match: f'{match.group(1)}<a href="{match.group(2)}">{match.group(2)}</a>{match.group(3)}',
            parts[index],
        )
    return "".join(parts)


# --- 3. wpautop ---

# WordPress's block-level elements: never wrapped in <p>, and a paragraph ends where one starts.
_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote"
    r"|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure"
    r"|figcaption|details|menu|summary)"
)
_I = re.IGNORECASE
_BLOCK_OPEN = re.compile(rf"(<{_BLOCKS}[\s/>])", _I)
_BLOCK_CLOSE = re.compile(rf"(</{_BLOCKS}>)", _I)
_BLOCK_TAG = rf"</?{_BLOCKS}[^>]*>"
# Tags and comments, for changing text inside them only (WordPress's wp_html_split()).
_HTML_SPLIT = re.compile(r"(<(?:!--.*?(?:-->|\Z)|!\[CDATA\[.*?(?:\]\]>|\Z)|[^>]*>?))", re.DOTALL)
_NEWLINE_IN_TAG = " <!-- wpnl --> "
_KEPT_NEWLINE = "<WPPreserveNewline />"


def wpautop(text: str) -> str:
    """WordPress's ``wpautop()``: blank lines make paragraphs, other newlines ``<br>``, block elements unwrapped.

    A port of the rules in wp-includes/formatting.php: ``<pre>`` is left as it
    is, newlines inside tags and comments survive, ``<blockquote>`` gets
    paragraphs inside it rather than around it, and text beside a block
    element becomes a paragraph of its own. It writes ``<br>`` (HTML, as our
    sanitiser does) where WordPress writes ``<br />``, and strips the
    whitespace WordPress leaves at the end.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"

    pre_blocks: list[str] = []

    def stash_pre(match: re.Match) -> str:
        pre_blocks.append(match.group(0))
        return f"<pre wp-pre-tag-{len(pre_blocks) - 1}></pre>"

    text = _PRE_BLOCK.sub(stash_pre, text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=_I)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text, flags=_I)
    text = _replace_in_tags(text, "\n", _NEWLINE_IN_TAG)

    # Elements whose children must not be split by paragraphs or breaks.
    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)

    text = re.sub(r"\n\n+", "\n\n", text)
    chunks = [chunk for chunk in re.split(r"\n\s*\n", text) if chunk]
    text = "".join(f"<p>{chunk.strip(chr(10))}</p>\n" for chunk in chunks)

    text = re.sub(r"<p>\s*</p>", "", text)
    # A paragraph left open at the end of a <div>, <address> or <form> is closed there.
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})\s*</p>", r"\1", text, flags=_I)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=_I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})", r"\1", text, flags=_I)
    text = re.sub(rf"({_BLOCK_TAG})\s*</p>", r"\1", text, flags=_I)

    # Newlines left inside a paragraph are line breaks, except in scripts, styles and SVG.
    text = re.sub(
        r"<(script|style|svg).*?</\1>",
        lambda match: match.group(0).replace("\n", _KEPT_NEWLINE),
        text,
        flags=re.DOTALL | _I,
    )
    text = re.sub(r"<br\s*/?>", "<br>", text, flags=_I)
    text = re.sub(r"(?<!<br>)\s*\n", "<br>\n", text)
    text = text.replace(_KEPT_NEWLINE, "\n")
    text = re.sub(rf"({_BLOCK_TAG})\s*<br>", r"\1", text, flags=_I)
    text = re.sub(r"<br>(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=_I)
    text = re.sub(r"\n</p>$", "</p>", text)

    for index, block in enumerate(pre_blocks):
        text = text.replace(f"<pre wp-pre-tag-{index}></pre>", block, 1)
    text = text.replace(_NEWLINE_IN_TAG, "\n").replace(_NEWLINE_IN_TAG.strip(), "\n")
    return text.strip()


def _replace_in_tags(text: str, old: str, new: str) -> str:
    parts = _HTML_SPLIT.split(text)
    for index in range(1, len(parts), 2):  # the odd parts are tags and comments
        parts[index] = parts[index].replace(old, new)
    return "".join(parts)


# --- 4. Links and images ---

# WordPress's resized copies: photo-300x200.jpg is a size of photo.jpg (and of photo-scaled.jpg, the copy
# WordPress 5.3+ keeps of a large upload instead of the original).
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(\.\w+)$")
_ATTACHMENT_CLASS = re.compile(r"(?:^|\s)wp-image-(\d+)(?:\s|$)")


def _bare_host(host: str) -> str:
    host = (host or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


class _Site:
    """The old site: which URLs are its own, and each in one form for the callbacks."""

    def __init__(self, site_url: str):
        parts = urlsplit(site_url.strip())
        self.scheme = parts.scheme.lower() or "https"
        self.netloc = parts.netloc.lower()
        self.host = _bare_host(parts.hostname or "")
        self.base = urlunsplit((self.scheme, self.netloc, parts.path.rstrip("/") + "/", "", ""))

    def own(self, url: str) -> tuple[str, str] | None:
        """``(url without fragment, fragment)`` in the site's scheme and host, or None for another site's URL."""
        url = url.strip()
        if not url or url.startswith("#"):
            return None
        scheme = urlsplit(url).scheme.lower()
        if scheme and scheme not in {"http", "https"}:
            return None  # mailto:, tel:, and javascript: (which the sanitiser removes)
        parts = urlsplit(urljoin(self.base, url))
        if _bare_host(parts.hostname or "") != self.host:
            return None
        return urlunsplit((self.scheme, self.netloc, parts.path or "/", parts.query, "")), parts.fragment

    def image_candidates(self, url: str) -> list[str]:
        """The URL as given, then without a query (Jetpack's ?resize=), then the original of a resized copy."""
        parts = urlsplit(url)
        bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        candidates = [url, bare]
        original = _SIZE_SUFFIX.sub(r"\1", parts.path)
        if original != parts.path:
            scaled = _SIZE_SUFFIX.sub(r"-scaled\1", parts.path)
            candidates += [urlunsplit((parts.scheme, parts.netloc, path, "", "")) for path in (original, scaled)]
        return list(dict.fromkeys(candidates))


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    rendered = "".join(f' {name}="{html.escape(value or "")}"' for name, value in attrs)
    return f"<{tag}{rendered}>"


@dataclass
class _Link:
    start: int  # where its <a> sits in the output
    unresolved: int | None  # where the old-site URL rewrite_url did not know sits in the report
    images: int = 0
    other_content: bool = False


@dataclass
class _Figure:
    images: int = 0
    image_ids: list[int] = field(default_factory=list)
    caption_html: str = ""
    caption_text: str = ""


class _BodyRewriter(HTMLParser):
    """Re-writes the HTML with old-site links rewritten and images made library images; other markup as it came.

    A real parser (the standard library's), so attributes and text are read as
    a browser would: quoted or not, entities decoded ("AT&T" too). Text is
    written back escaped; the sanitiser afterwards decides what survives.
    """

    def __init__(self, site: _Site, *, rewrite_url, image_id_for_url, image_id_for_attachment, token: str):
        super().__init__(convert_charrefs=True)
        self.site = site
        self.rewrite_url = rewrite_url
        self.image_id_for_url = image_id_for_url
        self.image_id_for_attachment = image_id_for_attachment
        self.token = token
        self.out: list[str] = []
        self.unresolved: list[str | None] = []  # in the order met; None where a link was dropped after all
        self.captions: dict[int, str] = {}
        self.links: list[_Link] = []
        self.figures: list[_Figure] = []
        # While inside a <figcaption>: the body's output and the caption's plain text so far.
        self.caption_stack: list[tuple[list[str], list[str]]] = []

    def html(self) -> str:
        while self.figures:
            self._end_figure()
        return "".join(self.out)

    # Content

    def handle_data(self, data: str) -> None:
        if data.strip():
            for link in self.links:
                link.other_content = True
        if self.caption_stack:
            self.caption_stack[-1][1].append(data)
        # A script's or style's text comes raw; escaped or not, the sanitiser removes it with its element.
        self.out.append(html.escape(data, quote=False))

    # Comments, declarations and processing instructions would be stripped by the sanitiser; they go here.
    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass

    # Tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self._image(dict(reversed(attrs)))
            return
        for link in self.links:
            link.other_content = link.other_content or tag not in {"br"}
        if tag == "a":
            self._start_link(attrs)
        elif tag == "figure":
            self.figures.append(_Figure())
        elif tag == "figcaption" and self.figures:
            self.caption_stack.append((self.out, []))
            self.out = []
        else:
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"img", "a", "figure", "figcaption"}:
            self.handle_starttag(tag, attrs)
            if tag != "img":
                self.handle_endtag(tag)
        else:
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            self._end_link()
        elif tag == "figure" and self.figures:
            self._end_figure()
        elif tag == "figcaption" and self.caption_stack:
            body_out, plain = self.caption_stack.pop()
            figure = self.figures[-1]
            figure.caption_html += "".join(self.out)
            figure.caption_text += "".join(plain)
            self.out = body_out
        else:
            self.out.append(f"</{tag}>")

    def _start_link(self, attrs: list[tuple[str, str | None]]) -> None:
        unresolved = None
        rewritten = []
        for name, value in attrs:
            if name == "href" and value:
                value, unresolved = self._rewrite_link(value)
            rewritten.append((name, value))
        if unresolved is not None:
            self.unresolved.append(unresolved)
        self.links.append(_Link(start=len(self.out), unresolved=len(self.unresolved) - 1 if unresolved else None))
        self.out.append(_start_tag("a", rewritten))

    def _rewrite_link(self, href: str) -> tuple[str, str | None]:
        """``(href to keep, the old-site URL if it stays unresolved)``."""
        own = self.site.own(href)
        if own is None:
            return href, None  # another site's link, or an anchor in the page: as it was
        url, fragment = own
        local = self.rewrite_url(url)
        suffix = f"#{fragment}" if fragment else ""
        if local is None:
            return url + suffix, url + suffix
        return local + suffix, None

    def _end_link(self) -> None:
        link = self.links.pop()
        if link.unresolved is not None and link.images and not link.other_content:
            # WordPress links an image to its own file or attachment page; we keep the image, not that link.
            self.out[link.start] = ""
            self.unresolved[link.unresolved] = None
            return
        self.out.append("</a>")

    def _image(self, attrs: dict[str, str | None]) -> None:
        image_id = self._image_id(attrs)
        if self.figures:
            self.figures[-1].images += 1
        if image_id is None:
            # Dropped (the sanitiser keeps no <img> without our data-image either) and reported.
            return
        for link in self.links:
            link.images += 1
        if self.figures:
            self.figures[-1].image_ids.append(image_id)
        alt = html.escape(attrs.get("alt") or "")
        self.out.append(f'<img data-image="{image_id}" alt="{alt}">')

    def _image_id(self, attrs: dict[str, str | None]) -> int | None:
        if attrs.get("data-import") == self.token and (attrs.get("data-image") or "").isdigit():
            return int(attrs["data-image"])  # from a [gallery], already looked up
        src = (attrs.get("src") or "").strip()
        if not src:
            return None
        own = self.site.own(src)
        if own is None:
            self.unresolved.append(src)
            return None
        url = own[0]
        for candidate in self.site.image_candidates(url):
            image_id = self.image_id_for_url(candidate)
            if image_id is not None:
                return int(image_id)
        # A block-editor image names its attachment in its class: wp-image-12.
        attachment = _ATTACHMENT_CLASS.search(attrs.get("class") or "")
        if attachment and self.image_id_for_attachment is not None:
            image_id = self.image_id_for_attachment(int(attachment.group(1)))
            if image_id is not None:
                return int(image_id)
        self.unresolved.append(url)
        return None

    def _end_figure(self) -> None:
        figure = self.figures.pop()
        if self.caption_stack:  # a <figcaption> left open: end it with its figure
            body_out, plain = self.caption_stack.pop()
            figure.caption_html += "".join(self.out)
            figure.caption_text += "".join(plain)
            self.out = body_out
        caption = " ".join(figure.caption_text.split())
        if len(figure.image_ids) == 1 and caption:
            self.captions[figure.image_ids[0]] = caption
        elif not figure.images and figure.caption_html.strip():
            # A table's or an embed's caption: no image to carry it, so it stays as a paragraph.
            self.out.append(f"<p>{figure.caption_html.strip()}</p>")
        # The caption of an image that could not be mapped describes nothing left on the page: it goes with it.


# --- After sanitising: the shape our editor stores ---

_BLOCK_ELEMENTS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "pre", "hr", "table"}
_VOID_ELEMENTS = {"br", "hr", "img"}
_IMAGE_PARAGRAPH = re.compile(r'^<p>\s*(<img data-image="\d+"(?: alt="[^"]*")?>)\s*(?:<br>\s*)*</p>$')
# What an image we could not map leaves behind when it was all its paragraph held.
_EMPTY_PARAGRAPH = re.compile(r"^<p>(?:\s|<br>)*</p>$")


@dataclass
class _Piece:
    is_block: bool  # a block element (or a library image) at the top
    parts: list[str] = field(default_factory=list)
    holds_block: bool = False  # inline at the top but with a block inside (<a><p>..</p></a>): not for a <p>


class _TopLevel(HTMLParser):
    """Splits sanitised HTML into its top-level pieces: blocks, and the runs of text and inline markup between."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.pieces: list[_Piece] = []
        self.depth = 0

    def _add(self, raw: str, *, block: bool = False) -> None:
        if self.depth == 0 and (block or not self.pieces or self.pieces[-1].is_block):
            self.pieces.append(_Piece(is_block=block))
        elif block:
            self.pieces[-1].holds_block = True
        self.pieces[-1].parts.append(raw)

    def handle_starttag(self, tag, attrs):
        # A library image is a block of its own in our editor (images/static/images/editor-image.js).
        self._add(self.get_starttag_text(), block=tag in _BLOCK_ELEMENTS or tag == "img")
        if tag not in _VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self._add(self.get_starttag_text(), block=tag in _BLOCK_ELEMENTS or tag == "img")

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)
        if not self.pieces:
            return  # a stray end tag at the very start; the sanitiser leaves none
        self.pieces[-1].parts.append(f"</{tag}>")
        if self.depth == 0 and self.pieces[-1].is_block:
            self.pieces.append(_Piece(is_block=False))  # what follows a block starts a new piece

    def handle_data(self, data):
        self._add(data)

    def handle_entityref(self, name):
        self._add(f"&{name};")

    def handle_charref(self, name):
        self._add(f"&#{name};")


def _as_editor_blocks(body: str) -> str:
    """Text and inline markup left bare at the top (a <div> or <figure> the sanitiser removed) in paragraphs; an
    image alone in its paragraph out of it, as our editor stores a library image; empty paragraphs gone."""
    if not body:
        return ""
    parser = _TopLevel()
    parser.feed(body)
    parser.close()
    out = []
    for piece in parser.pieces:
        markup = "".join(piece.parts)
        if piece.is_block:
            alone = _IMAGE_PARAGRAPH.match(markup)
            if not _EMPTY_PARAGRAPH.match(markup):
                out.append(alone.group(1) if alone else markup)
        elif piece.holds_block:
            out.append(markup)
        elif markup.replace("<br>", "").strip():
            out.append(f"<p>{markup.strip()}</p>")
        else:
            out.append("\n" if "\n" in markup else "")  # between blocks: one newline, as the sanitiser's output
    return "".join(out).strip()
