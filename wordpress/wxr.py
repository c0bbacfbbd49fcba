"""Reading WordPress's export format (WXR 1.0, 1.1, 1.2) as a stream of small records.

The file is fed to expat 64 kB at a time, and only one top-level record (an
author, a term, an item) is held in memory at once, so a 500 MB export reads
in flat memory. Why expat directly rather than ``ElementTree.iterparse``:
the parser is told to refuse entity declarations (the "billion laughs" and
external-entity tricks; WXR never declares any), which iterparse does not
let us do without defusedxml, and an ``ExpatError`` carries the line number
for the error message.

Namespaces are matched by what they are, not by prefix: WordPress has
written ``http://wordpress.org/export/1.0/`` to ``.../1.2/`` for the ``wp:``
elements, and a file may bind them to any prefix.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Reviewed for bandit B407: entity declarations are refused below, and expat never fetches external entities.
from xml.parsers import expat  # nosec B407

CHUNK = 64 * 1024
KNOWN_VERSIONS = ("1.0", "1.1", "1.2")
_WP = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# Children of <channel> read as records; everything else at that level is channel information.
RECORDS = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message says why and where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass
class Node:
    """An element: its name with a known prefix (``wp:post_id``), attributes, text and children."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list["Node"] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def get(self, tag: str, default: str = "") -> str:
        for child in self.children:
            if child.tag == tag:
                return child.text
        return default

    def all(self, tag: str) -> list["Node"]:
        return [child for child in self.children if child.tag == tag]


@dataclass
class Channel:
    """What the file says about the site, read before its first record."""

    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


def short_name(name: str) -> str:
    """``{uri}local`` (expat's ``uri}local``) as ``prefix:local`` for the namespaces WXR uses."""
    uri, _, local = name.rpartition("}")
    if not uri:
        return local
    if _WP.match(uri):
        return f"wp:{local}"
    if _EXCERPT.match(uri):
        return f"excerpt:{local}"
    prefix = _PREFIXES.get(uri)
    return f"{prefix}:{local}" if prefix else f"{{{uri}}}{local}"


class _Reader:
    def __init__(self):
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.data
        self.parser.EntityDeclHandler = self.refuse_entity
        self.parser.buffer_text = True
        self.path: list[str] = []
        self.stack: list[Node] = []
        self.channel = Channel()
        self.channel_text: list[str] | None = None
        self.done: list[Node] = []
        self.seen_rss = False

    def refuse_entity(self, *args):
        raise WXRError("the file declares XML entities, which a WordPress export never does", self.line())

    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def start(self, name, attrs):
        tag = short_name(name)
        depth = len(self.path)
        self.path.append(tag)
        if depth == 0:
            if tag != "rss":
                raise WXRError(f"this is not a WordPress export (it starts with <{tag}>, not <rss>)", self.line())
            self.seen_rss = True
        elif self.stack:
            node = Node(tag, {short_name(key): value for key, value in attrs.items()}, self.line())
            self.stack[-1].children.append(node)
            self.stack.append(node)
        elif depth == 2 and self.path[1] == "channel":
            if tag in RECORDS:
                self.stack.append(Node(tag, {short_name(k): v for k, v in attrs.items()}, self.line()))
            else:
                self.channel_text = []

    def end(self, name):
        tag = self.path.pop()
        if self.stack:
            node = self.stack.pop()
            if not self.stack:
                self.done.append(node)
        elif self.channel_text is not None and len(self.path) == 2:
            text = "".join(self.channel_text).strip()
            self.channel_text = None
            attribute = {
                "wp:wxr_version": "version",
                "title": "title",
                "link": "link",
                "wp:base_site_url": "base_site_url",
                "wp:base_blog_url": "base_blog_url",
            }.get(tag)
            if attribute and not getattr(self.channel, attribute):
                setattr(self.channel, attribute, text)

    def data(self, text):
        if self.stack:
            self.stack[-1].parts.append(text)
        elif self.channel_text is not None:
            self.channel_text.append(text)


def check_version(channel: Channel, line: int | None = None) -> None:
    if not channel.version:
        raise WXRError(
            "no WXR version (<wp:wxr_version>) before the first post: this does not look like a WordPress export "
            "(export it again from Tools > Export)",
            line,
        )
    if channel.version not in KNOWN_VERSIONS:
        raise WXRError(
            f"WXR version {channel.version!r} is not one this importer reads ({', '.join(KNOWN_VERSIONS)})", line
        )


def read_wxr(handle) -> Iterator[Channel | Node]:
    """Yield the ``Channel`` once (just before the first record), then each record as a ``Node``.

    ``handle`` is a binary file. Raises ``WXRError`` with a line number for
    malformed XML, a file that is not an RSS export, or a missing or unknown
    WXR version.
    """
    reader = _Reader()
    announced = False
    while True:
        chunk = handle.read(CHUNK)
        try:
            reader.parser.Parse(chunk, not chunk)
        except expat.ExpatError as error:
            message = expat.errors.messages.get(error.code, "malformed XML")
            raise WXRError(f"the XML is malformed ({message}, column {error.offset + 1})", error.lineno) from None
        for node in reader.done:
            if not announced:
                check_version(reader.channel, node.line)
                announced = True
                yield reader.channel
            yield node
        reader.done.clear()
        if not chunk:
            break
    if not reader.seen_rss:
        raise WXRError("the file is empty")
    if not announced:
        check_version(reader.channel)
        yield reader.channel
