"""Importing a whole WordPress site from its export file (WXR), losing nothing we can keep.

Two streaming passes over the file, each holding one record at a time:

1. Authors, categories and tags (written in one transaction before the
   first item), then attachments into the image library in batches, and a
   note of every post and page (id, slug, parent, link) for the next step.
2. Between the passes every post and page gets its new address, so bodies
   can link to posts that come later in the file. Then posts become
   articles in batches (one transaction each, inside ``bulk_writes`` so the
   search index, counts and tag pages follow each batch), and pages become
   site pages, each after its parent.

Each object made is remembered in ``ImportedItem`` by (site, kind, WordPress
id): a second run, or a run after a kill, updates what the first made. An
object edited here since the import that wrote it (or medically reviewed
here) is left alone and reported, so a re-import never overwrites an
editor's or reviewer's work. Every address the old site answered at is kept
in ``OldAddress`` for the 301s (``wordpress.redirects``).

**States, and the medical sign-off.** Readers see clinical text only after a
medical reviewer signed it off here (``workflow.services``); WordPress has
no such record, and the import does not invent one. So:

- ``publish`` becomes *in review* by default: nothing goes public because a
  file was imported, and publishing then asks for the usual sign-off.
- With ``--publish`` (the publisher's explicit choice, for a site that is
  moving and whose readers would otherwise meet 404s), ``publish`` becomes
  *published* at its old date and ``future`` is *scheduled* at its date.
  The sign-off is not faked: ``reviewed_by`` and ``last_reviewed`` stay
  empty, so every such page is in the review queue as never reviewed, with
  the flag "Imported from WordPress, not medically reviewed here"
  (``wordpress.selectors``) until a reviewer signs it off.
- Without ``--publish``, ``future`` is in review with its date kept, for a
  publisher to schedule after sign-off (a scheduled page goes public with
  nobody here looking, so it is treated like ``publish``).
- ``draft`` is a draft, ``pending`` is in review; ``private`` and
  password-protected posts were never public and become drafts (reported);
  ``trash``, ``auto-draft`` and other states are skipped and counted.
"""

import hashlib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from taggit.models import Tag, TaggedItem

from articles.importing import ARTICLE_TABLES, free_slug, free_username, insert_rows
from articles.models import Article, Category, forget_categories
from images.models import Image
from images.services import image_save
from pages.addresses import address_space_clash
from pages.models import MAX_DEPTH, Page
from publishing.bulk import bulk_writes, refresh_planner_statistics
from publishing.models import Status
from publishing.slug_urls import slug_url
from wordpress.models import ImportedItem, ItemKind, OldAddress
from wordpress.phpdata import php_unserialize
from wordpress.redirects import forget_prefixes
from wordpress.wxr import Channel, Node, read_wxr

BATCH_SIZE = 200
IMAGE_BATCH_SIZE = 20
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag")
# Statuses imported; anything else (trash, auto-draft, inherit, WooCommerce's own...) is skipped and counted.
IMPORTED_STATUSES = {"publish", "future", "draft", "pending", "private"}
SKIP_REASONS = {"trash": "in the trash", "auto-draft": "an unsaved auto-draft", "inherit": "a revision"}
SUMMARY_LENGTH = 300
UNCATEGORISED = "Uncategorized"
# Yoast and Rank Math write titles with variables: %%title%% (Yoast) and %title% (Rank Math) are the post title.
TITLE_VARIABLE = re.compile(r"%%?title%%?")
FIRST_PARAGRAPHS = re.compile(r"<p[^>]*>(.*?)</p>", re.S)
OTHER_VARIABLES = re.compile(r"%%?[a-z_]+%%?")


@dataclass
class Report:
    """What the import did, by kind: created, updated, skipped (with reasons) and notes worth a look."""

    channel: Channel | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # (kind, reason) -> count
    notes: Counter = field(default_factory=Counter)  # (kind, note) -> count
    dropped_shortcodes: Counter = field(default_factory=Counter)
    unresolved_links: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)  # WordPress comment state -> count
    missing_files: list[str] = field(default_factory=list)
    items_read: int = 0

    def skip(self, kind: str, reason: str) -> None:
        self.skipped[(kind, reason)] += 1

    def note(self, kind: str, note: str) -> None:
        self.notes[(kind, note)] += 1

    def lines(self, *, dry_run: bool = False, limit: int = 20) -> list[str]:
        """The report as printed by the command."""
        channel = self.channel
        source = (
            (channel.base_blog_url or channel.link or channel.title or "a site with no address") if channel else "?"
        )
        version = self.channel.version if self.channel else "?"
        lines = [f"WordPress import from {source} (WXR {version}){' -- dry run, nothing written' if dry_run else ''}"]
        kinds = [kind.value for kind in ItemKind]
        skipped_by_kind = Counter()
        for (kind, _), count in self.skipped.items():
            skipped_by_kind[kind] += count
        kinds += sorted({kind for kind in skipped_by_kind if kind not in kinds})
        lines.append(f"  {'':14}{'created':>9}{'updated':>9}{'unchanged':>11}{'skipped':>9}")
        for kind in kinds:
            row = (self.created[kind], self.updated[kind], self.unchanged[kind], skipped_by_kind[kind])
            if any(row):
                label = "categories" if kind == "category" else f"{kind}s"
                lines.append(f"  {label:14}{row[0]:>9}{row[1]:>9}{row[2]:>11}{row[3]:>9}")
        if self.skipped:
            lines.append("Skipped:")
            lines += [f"  {kind}: {reason} ({count})" for (kind, reason), count in sorted(self.skipped.items())]
        if self.notes:
            lines.append("Worth a look:")
            lines += [f"  {kind}: {note} ({count})" for (kind, note), count in sorted(self.notes.items())]
        if self.missing_files:
            shown = ", ".join(self.missing_files[:limit])
            more = f" and {len(self.missing_files) - limit} more" if len(self.missing_files) > limit else ""
            lines.append(f"Files not found under --uploads ({len(self.missing_files)}): {shown}{more}")
        if self.dropped_shortcodes:
            shown = ", ".join(f"[{name}] x{count}" for name, count in self.dropped_shortcodes.most_common())
            lines.append(f"Shortcodes dropped (no equivalent here): {shown}")
        if self.unresolved_links:
            lines.append(f"Links to the old site that match nothing imported ({sum(self.unresolved_links.values())}):")
            lines += [f"  {url} ({count})" for url, count in self.unresolved_links.most_common(limit)]
            if len(self.unresolved_links) > limit:
                lines.append(f"  ... and {len(self.unresolved_links) - limit} more addresses")
        total = sum(self.comments.values())
        if total:
            states = ", ".join(f"{count} {state}" for state, count in sorted(self.comments.items()))
            lines.append(f"Comments: {total} counted ({states}); not imported (medsite has no comments).")
        else:
            lines.append("Comments: none.")
        return lines


@dataclass
class PostPlan:
    """What pass 1 learns of a post or page, enough to give it an address before any is written."""

    wp_id: int
    kind: str
    status: str
    name: str
    title: str
    link: str
    parent: int
    order: int
    address: str = ""  # the new address ("/articles/imuran/", "/about/team/")
    slug: str = ""  # an article's slug, or a page's segment
    parent_plan: int = 0  # the WordPress id of the page it sits under here (0: the root)


def site_key(url: str) -> str:
    """The site's address without scheme or trailing slash, so an http-to-https move is the same site."""
    parts = urlsplit(url.strip())
    return (parts.netloc.lower() + parts.path.rstrip("/"))[:200]


def plain_text(value: str) -> str:
    """Titles, names and excerpts: WordPress keeps HTML entities in them (``&amp;``, ``&#8211;``)."""
    return " ".join(html.unescape(strip_tags(html.unescape(value))).split())


def parse_time(node: Node, field: str = "post_date") -> datetime | None:
    """The item's ``wp:post_date`` (or another field in its GMT and local forms), GMT first."""
    for tag, aware in ((f"wp:{field}_gmt", True), (f"wp:{field}", False)):
        value = node.get(tag).strip()
        if not value or value.startswith("0000"):
            continue
        try:
            moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC) if aware else timezone.make_aware(moment)
    return None


def last_changed(node: Node, now: datetime) -> datetime | None:
    """When the item's text last changed on WordPress: ``post_modified`` (exports since WordPress 5.7), else its
    date; never in the future. Readers see it as "Updated", so an import does not make old text look new."""
    published = parse_time(node)
    modified = parse_time(node, "post_modified") or published
    if modified is None:
        return None
    return min(max(modified, published or modified), now)


# What an import writes into an article or page, and compares before writing it again.
POST_CONTENT_FIELDS = ("title", "summary", "body", "author_id", "seo_title", "meta_description", "featured_image_id")


def same_content(current, fields: dict) -> bool:
    """Whether ``current`` already holds every value in ``fields`` (a re-run then leaves it, its date and its
    cached pages alone)."""
    return all(getattr(current, name) == value for name, value in fields.items())


def keep_wordpress_dates(model, objects: list, changed: dict[str, datetime | None]) -> None:
    """Give the just-saved ``objects`` the moment their text last changed on WordPress (``changed`` by slug) as
    ``updated_at``, in memory too, so the import record's time matches it (``_changed_here``)."""
    dated = [(obj, changed[obj.slug]) for obj in objects if changed.get(obj.slug) is not None]
    if not dated:
        return
    model.objects.filter(pk__in=[obj.pk for obj, _ in dated]).update(
        updated_at=Case(*(When(pk=obj.pk, then=Value(moment)) for obj, moment in dated))
    )
    for obj, moment in dated:
        obj.updated_at = moment


def meta(node: Node) -> dict[str, str]:
    """An item's postmeta as a dict (the last value wins for a repeated key)."""
    return {entry.get("wp:meta_key"): entry.get("wp:meta_value") for entry in node.all("wp:postmeta")}


def clean_slug(value: str, fallback: str, limit: int = 200) -> str:
    """A WordPress slug (percent-encoded when not ASCII) as one of ours: lower case, letters, digits, hyphens."""
    slug = slugify(unquote(value or ""))[:limit].strip("-")
    return slug or slugify(fallback)[:limit].strip("-")


def path_of(url: str) -> str:
    """The path of an old address, decoded, with a trailing slash unless it names a file."""
    path = unquote(urlsplit(url.strip()).path) or "/"
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


def query_address(url: str) -> str | None:
    """``?p=123`` for an address that names an item by query key, else None."""
    for key, value in parse_qsl(urlsplit(url.strip()).query):
        if key in QUERY_KEYS and value:
            return f"?{key}={value}"
    return None


def derived_summary(body: str) -> str:
    """For a post without an excerpt: its first paragraph of text, cut at a word near ``SUMMARY_LENGTH``."""
    for paragraph in FIRST_PARAGRAPHS.findall(body):
        text = plain_text(paragraph)
        if text:
            return Truncator(text).chars(SUMMARY_LENGTH, truncate="…")
    return Truncator(plain_text(body)).chars(SUMMARY_LENGTH, truncate="…")


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else Truncator(value).chars(limit, truncate="…")


class Importer:
    """One run of the import; ``run()`` does both passes and returns the ``Report``."""

    def __init__(
        self,
        *,
        path: Path,
        uploads: Path | None = None,
        publish: bool = False,
        dry_run: bool = False,
        renditions: bool = True,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[str], None] | None = None,
    ):
        self.path, self.uploads, self.publish, self.dry_run = path, uploads, publish, dry_run
        self.batch_size, self.renditions = batch_size, renditions
        self.progress = progress or (lambda message: None)
        self.report = Report()
        self.site = ""
        self.site_hosts: set[str] = set()
        self.users: dict[str, int] = {}  # login -> user id
        self.authors: dict[str, Node] = {}  # login -> the wp:author record
        self.categories: dict[str, int] = {}  # WordPress slug -> category id
        self.tags: dict[str, int] = {}  # WordPress slug -> tag id
        self.category_names: dict[int, str] = {}
        self.terms_pending: list[Node] = []
        self.terms_written = False
        self.images: dict[int, int | None] = {}  # attachment id -> image id (None in a dry run)
        self.upload_paths: dict[str, int | None] = {}  # "2019/03/pill.jpg" -> image id
        self.plans: dict[int, PostPlan] = {}
        self.links: dict[str, str] = {}  # old path or "?p=1" -> new address
        self.held_pages: dict[int, list[Node]] = defaultdict(list)
        self.written_pages: dict[int, Page] = {}
        self.now = timezone.now()
        self.types = {
            model: ContentType.objects.get_for_model(model) for model in (Article, Page, Category, Tag, Image)
        }

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> Report:
        with bulk_writes() as self.bulk:
            if self.dry_run:
                with transaction.atomic():
                    self._passes()
                    transaction.set_rollback(True)
            else:
                self._passes()
        if not self.dry_run:
            refresh_planner_statistics([*ARTICLE_TABLES, Page])
        return self.report

    def _passes(self) -> None:
        self._first_pass()
        self._plan_addresses()
        self._second_pass()

    def _records(self):
        with self.path.open("rb") as handle:
            for record in read_wxr(handle):
                if isinstance(record, Channel):
                    self._start(record)
                else:
                    yield record

    def _start(self, channel: Channel) -> None:
        self.report.channel = channel
        base = channel.base_blog_url or channel.link or channel.base_site_url
        self.site_url = base
        if base:
            self.site = site_key(base)
        elif not self.site:
            # Hand-made or trimmed files may name no address: the items are still keyed by site, by title.
            self.site = f"no-address/{slugify(channel.title) or slugify(self.path.stem)}"[:200]
            self.report.note("site", "the export names no site address: links between its posts are not rewritten")
        self.site_hosts = {
            urlsplit(url).netloc.lower() for url in (channel.base_blog_url, channel.base_site_url, channel.link) if url
        }

    # --- pass 1: people, terms, attachments, and the address plan --------------------------------

    def _first_pass(self) -> None:
        attachments: list[Node] = []
        for record in self._records():
            if record.tag == "wp:author":
                self.authors[plain_text(record.get("wp:author_login"))] = record
            elif record.tag in ("wp:category", "wp:tag", "wp:term"):
                self.terms_pending.append(record)
            elif record.tag == "item":
                self.report.items_read += 1
                self._write_terms()
                if not record.get("wp:post_id").strip().isdigit():
                    continue  # reported in the second pass
                post_type = record.get("wp:post_type") or "post"
                if post_type == "attachment":
                    attachments.append(record)
                    if len(attachments) >= IMAGE_BATCH_SIZE:
                        self._write_attachments(attachments)
                        attachments = []
                elif post_type in ("post", "page"):
                    self._note_plan(record, post_type)
                if self.report.items_read % 1000 == 0:
                    self.progress(f"Read {self.report.items_read} items (first pass)")
        self._write_terms()
        if attachments:
            self._write_attachments(attachments)

    def _note_plan(self, record: Node, post_type: str) -> None:
        wp_id = int(record.get("wp:post_id") or 0)
        self.plans[wp_id] = PostPlan(
            wp_id=wp_id,
            kind=post_type,
            status=record.get("wp:status"),
            name=record.get("wp:post_name"),
            title=plain_text(record.get("title")),
            link=record.get("link") or record.get("guid"),
            parent=int(record.get("wp:post_parent") or 0),
            order=int(record.get("wp:menu_order") or 0),
        )

    def _write_terms(self) -> None:
        if self.terms_written:
            return
        self.terms_written = True
        with transaction.atomic():
            for login, record in self.authors.items():
                self._user_id(login, record)
            categories, tags = [], []
            for record in self.terms_pending:
                taxonomy = {"wp:category": "category", "wp:tag": "post_tag"}.get(record.tag) or record.get(
                    "wp:term_taxonomy"
                )
                if taxonomy == "category":
                    categories.append(record)
                elif taxonomy == "post_tag":
                    tags.append(record)
                else:
                    self.report.skip("term", f"taxonomy {taxonomy or 'unknown'} has no equivalent here")
            self._write_categories(categories)
            self._write_tags(tags)
        self.terms_pending = []

    def _user_id(self, login: str, record: Node | None = None) -> int:
        """The user for a WordPress login: matched by username or e-mail, else created without a password."""
        login = login or "wordpress"
        if login in self.users:
            return self.users[login]
        record = record or self.authors.get(login)
        email = record.get("wp:author_email").strip() if record else ""
        users = get_user_model().objects
        # The login as a username here may lose characters ("John Doe" -> "JohnDoe"): a re-run must find it so.
        username = re.sub(r"[^\w.@+-]", "", login)[:140] or "author"
        match = Q(username__iexact=login) | Q(username__iexact=username)
        match |= Q(email__iexact=email) if email else Q(pk__in=[])
        user = users.filter(match).order_by("pk").first()
        if user is None:
            display = plain_text(record.get("wp:author_display_name")) if record else ""
            first = plain_text(record.get("wp:author_first_name")) if record else ""
            last = plain_text(record.get("wp:author_last_name")) if record else ""
            if not (first or last) and display:
                first, _, last = display.partition(" ")
            user = users.create(
                username=free_username(username),
                email=email,
                first_name=first[:150],
                last_name=last[:150],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            self.report.created["author"] += 1
        else:
            self.report.unchanged["author"] += 1
        self.users[login] = user.pk
        return user.pk

    def _write_categories(self, records: list[Node]) -> None:
        parents: dict[str, str] = {}
        made: set[int] = set()
        for record in records:
            slug = record.get("wp:category_nicename").strip()
            name = plain_text(record.get("wp:cat_name") or record.get("wp:term_name")) or slug
            parents[slug] = record.get("wp:category_parent").strip()
            category_id, created = self._category(
                slug, name, description=plain_text(record.get("wp:category_description"))
            )
            if created:
                made.add(category_id)
            self._remember(ItemKind.CATEGORY, int(record.get("wp:term_id") or 0), Category, category_id)
        # A child may come before its parent in the file: parents are set once every category exists.
        for slug, parent_slug in parents.items():
            child, parent = self.categories.get(slug), self.categories.get(parent_slug)
            if parent_slug and parent is None:
                self.report.note("category", "parent category not in the file: filed at the top level")
            elif parent and child in made and not self._would_cycle(child, parent, parents):
                Category.objects.filter(pk=child).update(parent_id=parent)
        forget_categories()  # the updates above send no signal
        slugs = dict(Category.objects.filter(pk__in=self.categories.values()).values_list("pk", "slug"))
        for slug, category_id in self.categories.items():
            for old in {f"/category/{'/'.join(self._category_path(slug, parents))}/", f"/category/{slug}/"}:
                self._old_address(old, Category, category_id)
                self.links[old] = slug_url("articles:category", slugs[category_id])

    def _category_path(self, slug: str, parents: dict[str, str]) -> list[str]:
        path, seen = [slug], {slug}
        while parents.get(path[0]) and parents[path[0]] not in seen:
            seen.add(parents[path[0]])
            path.insert(0, parents[path[0]])
        return path

    def _would_cycle(self, child: int, parent: int, parents: dict[str, str]) -> bool:
        tree = dict(Category.objects.values_list("pk", "parent_id"))
        node, seen = parent, set()
        while node is not None and node not in seen:
            if node == child:
                return True
            seen.add(node)
            node = tree.get(node)
        return False

    def _category(self, slug: str, name: str, description: str = "") -> tuple[int, bool]:
        """The category with this WordPress slug (or name), created when missing. Returns (id, created)."""
        slug = clean_slug(slug, name, 100)
        if slug in self.categories:
            return self.categories[slug], False
        found = Category.objects.filter(Q(slug=slug) | Q(name__iexact=name[:100])).order_by("pk").first()
        created = found is None
        if created:
            found = Category.objects.create(name=name[:100], slug=free_slug(Category, slug), description=description)
            self.report.created["category"] += 1
        else:
            self.report.unchanged["category"] += 1
        self.categories[slug] = found.pk
        self.category_names[found.pk] = found.name
        return found.pk, created

    def _write_tags(self, records: list[Node]) -> None:
        for record in records:
            slug = record.get("wp:tag_slug") or record.get("wp:term_slug")
            name = plain_text(record.get("wp:tag_name") or record.get("wp:term_name")) or slug
            tag_id = self._tag(slug, name)
            self._remember(ItemKind.TAG, int(record.get("wp:term_id") or 0), Tag, tag_id)

    def _tag(self, slug: str, name: str) -> int:
        key = clean_slug(slug, name, 100)
        if key not in self.tags:
            found = Tag.objects.filter(Q(name__iexact=name[:100]) | Q(slug=key)).order_by("pk").first()
            if found is None:
                found = Tag.objects.create(name=name[:100], slug=free_slug(Tag, key))
                self.report.created["tag"] += 1
            else:
                self.report.unchanged["tag"] += 1
            self.tags[key] = found.pk
            self._old_address(f"/tag/{unquote(slug or key)}/", Tag, found.pk)
            self._old_address(f"?tag={slug or key}", Tag, found.pk)
            self.links[f"/tag/{unquote(slug or key)}/"] = self.links[f"?tag={slug or key}"] = slug_url(
                "articles:tag", found.slug
            )
        return self.tags[key]

    def _remember(self, kind: str, wp_id: int, model, object_id: int) -> None:
        ImportedItem.objects.update_or_create(
            site=self.site,
            kind=kind,
            wp_id=wp_id,
            defaults={"content_type": self.types[model], "object_id": object_id, "imported_at": self.now},
        )
        if kind == ItemKind.CATEGORY and wp_id:
            self._old_address(f"?cat={wp_id}", model, object_id)

    def _old_address(self, address: str, model, object_id: int | None, *, image: bool = False) -> None:
        if object_id is None:
            return
        address = address[:500]
        target = (
            {"image_id": object_id, "content_type": None, "object_id": None}
            if image
            else {
                "image_id": None,
                "content_type": self.types[model],
                "object_id": object_id,
            }
        )
        OldAddress.objects.update_or_create(address=address, defaults=target)
        transaction.on_commit(forget_prefixes)

    # --- attachments -----------------------------------------------------------------------------

    def _write_attachments(self, records: list[Node]) -> None:
        with transaction.atomic():
            known = dict(
                ImportedItem.objects.filter(
                    site=self.site, kind=ItemKind.ATTACHMENT, wp_id__in=[int(r.get("wp:post_id") or 0) for r in records]
                ).values_list("wp_id", "object_id")
            )
            existing = set(Image.objects.filter(pk__in=known.values()).values_list("pk", flat=True))
            # No bulk.written() for images: no hook keeps data derived from them (search and reading ages are
            # for content), and the page cache is made stale once at the end of the bulk write.
            for record in records:
                self._attachment(record, known, existing)

    def _attachment(self, record: Node, known: dict[int, int], existing: set[int]) -> Image | None:
        wp_id = int(record.get("wp:post_id") or 0)
        values = meta(record)
        url = record.get("wp:attachment_url") or record.get("guid")
        relative = values.get("_wp_attached_file") or ""
        metadata = php_unserialize(values.get("_wp_attachment_metadata", "")) or {}
        if not relative and isinstance(metadata, dict):
            relative = str(metadata.get("file") or "")
        if not relative and "/uploads/" in url:
            relative = unquote(urlsplit(url).path).split("/uploads/", 1)[1]
        relative = relative.lstrip("/")
        image_id = known.get(wp_id) if known.get(wp_id) in existing else None
        image = None
        if image_id is None:
            image = self._image_from_file(record, relative, values)
            if image is False:
                return None
            image_id = image.pk if image is not None else None
            if image is not None and not self.dry_run:
                ImportedItem.objects.update_or_create(
                    site=self.site,
                    kind=ItemKind.ATTACHMENT,
                    wp_id=wp_id,
                    defaults={"content_type": self.types[Image], "object_id": image.pk, "imported_at": self.now},
                )
        else:
            self.report.unchanged["attachment"] += 1
        self.images[wp_id] = image_id
        # Every file name the old site served for it: the original and WordPress's resized copies.
        folder = str(PurePosixPath(relative).parent) if "/" in relative else ""
        names = [relative]
        if isinstance(metadata, dict) and isinstance(metadata.get("sizes"), dict):
            for size in metadata["sizes"].values():
                if isinstance(size, dict) and size.get("file"):
                    names.append(f"{folder}/{size['file']}" if folder else str(size["file"]))
        for name in names:
            self.upload_paths[name] = image_id
            if image_id is not None:
                self._old_address(f"/wp-content/uploads/{name}", Image, image_id, image=True)
        if image_id is not None:
            self._old_address(f"?attachment_id={wp_id}", Image, image_id, image=True)
            link = record.get("link")
            if link and self._is_old_site(link) and query_address(link) is None:
                self._old_address(path_of(link), Image, image_id, image=True)
        return image

    def _image_from_file(self, record: Node, relative: str, values: dict[str, str]):
        """A new library image from the uploads folder; the existing one for the same bytes; None or False.

        False: the attachment is not imported (no file, not an image), already reported.
        """
        if self.uploads is None:
            self.report.skip("attachment", "no --uploads folder given")
            return False
        source = (self.uploads / relative).resolve()
        if not relative or self.uploads.resolve() not in source.parents or not source.is_file():
            self.report.missing_files.append(relative or record.get("wp:attachment_url"))
            self.report.skip("attachment", "file not found under --uploads")
            return False
        digest = hashlib.sha256()
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
        # The library keeps one copy of each file: the same bytes uploaded twice on WordPress are one image here.
        same = Image.objects.filter(content_hash=digest.hexdigest()).first()
        if same is not None:
            self.report.note("attachment", "the same file as another image: both use one library image")
            self.report.unchanged["attachment"] += 1
            return same
        title = plain_text(record.get("title")) or PurePosixPath(relative).name
        alt = plain_text(values.get("_wp_attachment_image_alt", ""))
        if not alt:
            self.report.note("attachment", "no alt text on WordPress: the title stands in for it, check it")
        image = Image(
            title=title[:200], alt_text=(alt or title)[:250], caption=plain_text(record.get("excerpt:encoded"))[:300]
        )
        author = record.get("dc:creator")
        with source.open("rb") as handle:
            upload = File(handle, name=source.name)
            try:
                if self.dry_run:
                    from images.validation import inspect_upload

                    inspect_upload(upload)
                    self.report.created["attachment"] += 1
                    return None
                image = image_save(
                    image=image, upload=upload, user=self._user_model(author), renditions=self.renditions
                )
            except ValidationError as error:
                self.report.skip("attachment", f"not imported: {' '.join(error.messages)}")
                return False
        self.report.created["attachment"] += 1
        return image

    def _user_model(self, login: str):
        return get_user_model()(pk=self._user_id(plain_text(login))) if login else None

    def _is_old_site(self, url: str) -> bool:
        netloc = urlsplit(url.strip()).netloc.lower()
        return not netloc or netloc in self.site_hosts

    # --- between the passes: every post and page gets its address -------------------------------

    def _plan_addresses(self) -> None:
        known = {
            (kind, wp_id): object_id
            for kind, wp_id, object_id in ImportedItem.objects.filter(
                site=self.site, kind__in=[ItemKind.POST, ItemKind.PAGE]
            ).values_list("kind", "wp_id", "object_id")
        }
        article_slugs = dict(Article.objects.values_list("slug", "pk"))
        slug_of_article = {pk: slug for slug, pk in article_slugs.items()}
        page_slugs = dict(Page.objects.values_list("slug", "pk"))
        address_of_page = {pk: slug for slug, pk in page_slugs.items()}
        taken_articles, taken_pages = set(article_slugs), set(page_slugs)
        plans = [plan for plan in self.plans.values() if plan.status in IMPORTED_STATUSES]
        for plan in plans:
            if plan.kind != "post":
                continue
            current = slug_of_article.get(known.get((ItemKind.POST, plan.wp_id)))
            if current:
                plan.slug = current
            else:
                base = clean_slug(plan.name, plan.title)[:190] or f"post-{plan.wp_id}"
                plan.slug, number = base, 2
                while plan.slug in taken_articles:
                    plan.slug, number = f"{base}-{number}", number + 1
                taken_articles.add(plan.slug)
            plan.address = slug_url("articles:article", plan.slug)
        pages = {plan.wp_id: plan for plan in plans if plan.kind == "page"}

        placing: set[int] = set()

        def place(plan: PostPlan) -> str:
            """The page's address below the root ("about/team"), worked out after its parent's."""
            if plan.address:
                return plan.address.strip("/")
            current = address_of_page.get(known.get((ItemKind.PAGE, plan.wp_id)))
            if current:
                plan.address, plan.slug = Page.url_for(current), current.rsplit("/", 1)[-1]
                return current
            placing.add(plan.wp_id)
            ancestors, node, seen = [], pages.get(plan.parent), {plan.wp_id}
            while node is not None and node.wp_id not in seen:
                seen.add(node.wp_id)
                ancestors.append(node)
                node = pages.get(node.parent)
            if plan.parent and not ancestors:
                self.report.note("page", "parent page not imported: placed at the top level")
            parent = ancestors[0] if ancestors else None
            if len(ancestors) >= MAX_DEPTH:
                self.report.note(
                    "page", f"more than {MAX_DEPTH} levels deep: placed under its ancestor at level {MAX_DEPTH - 1}"
                )
                parent = ancestors[len(ancestors) - (MAX_DEPTH - 1)]
            if parent is not None and parent.wp_id in placing:
                parent = None  # parents in a loop: WordPress allowed it, a tree cannot hold it
            prefix = place(parent) + "/" if parent else ""
            plan.parent_plan = parent.wp_id if parent else 0
            base = clean_slug(plan.name, plan.title, 80) or f"page-{plan.wp_id}"
            segment, number = base, 2
            while (prefix + segment) in taken_pages or (not prefix and address_space_clash(segment)):
                segment, number = f"{base}-{number}", number + 1
            if segment != base:
                self.report.note("page", "address taken here: given another slug")
            taken_pages.add(prefix + segment)
            plan.slug, plan.address = segment, Page.url_for(prefix + segment)
            placing.discard(plan.wp_id)
            return prefix + segment

        for plan in pages.values():
            place(plan)
        for plan in plans:
            if plan.link and self._is_old_site(plan.link):
                self.links[query_address(plan.link) or path_of(plan.link)] = plan.address
            self.links[f"?{'page_id' if plan.kind == 'page' else 'p'}={plan.wp_id}"] = plan.address
            self.links[f"?p={plan.wp_id}"] = plan.address

    # --- pass 2: posts and pages ----------------------------------------------------------------

    def _second_pass(self) -> None:
        batch: list[Node] = []
        done = 0
        for record in self._records():
            if record.tag != "item":
                continue
            done += 1
            if done % 1000 == 0:
                self.progress(f"Imported {done} of {self.report.items_read} items (second pass)")
            for comment in record.all("wp:comment"):
                state = comment.get("wp:comment_approved", "1")
                self.report.comments[{"1": "approved", "0": "waiting"}.get(state, state)] += 1
            post_type = record.get("wp:post_type") or "post"
            if not record.get("wp:post_id").strip().isdigit():
                self.report.skip("item", "no WordPress post id (<wp:post_id>): cannot be matched on a re-run")
                continue
            if post_type == "attachment":
                continue
            if post_type not in ("post", "page"):
                self.report.skip(post_type, f"post type {post_type!r} has no equivalent here")
                continue
            status = record.get("wp:status")
            if status not in IMPORTED_STATUSES:
                self.report.skip(post_type, SKIP_REASONS.get(status, f"status {status!r}"))
                continue
            if post_type == "post":
                batch.append(record)
                if len(batch) >= self.batch_size:
                    self._write_posts(batch)
                    batch = []
            else:
                self._page_arrived(record)
        if batch:
            self._write_posts(batch)
        for records in list(self.held_pages.values()):
            for record in records:  # their parent never came: at the top level
                self._write_page(record)
        self.held_pages.clear()

    def _state(self, record: Node, kind: str) -> tuple[str, datetime | None]:
        status = record.get("wp:status")
        when = parse_time(record)
        if record.get("wp:post_password"):
            self.report.note(kind, "password-protected on WordPress: imported as a draft, never public")
            return Status.DRAFT, when
        if status == "private":
            self.report.note(kind, "private on WordPress: imported as a draft, never public")
            return Status.DRAFT, when
        if status == "draft":
            return Status.DRAFT, when
        if status == "pending":
            return Status.IN_REVIEW, when
        if status in ("publish", "future"):
            if self.publish:
                if status == "future":
                    self.report.note(kind, "scheduled on WordPress: scheduled here at the same time")
                return Status.PUBLISHED, when or self.now
            self.report.note(
                kind,
                f"{'published' if status == 'publish' else 'scheduled'} on WordPress: in review here "
                "(--publish not given)",
            )
            return Status.IN_REVIEW, when
        return Status.DRAFT, when

    def _converted(self, record: Node, kind: str):
        from wordpress.content import convert_body

        converted = convert_body(
            record.get("content:encoded"),
            site_url=self.site_url,
            rewrite_url=self.rewrite_url,
            image_id_for_url=self.image_id_for_url,
            image_id_for_attachment=self.images.get,
        )
        # Captions live on the library image here: a post's [caption] fills an image that has none.
        for image_id, caption in converted.captions.items():
            Image.objects.filter(pk=image_id, caption="").update(caption=shorten(caption, 300))
        self.report.dropped_shortcodes.update(converted.dropped_shortcodes)
        unresolved = converted.unresolved_links
        if self.dry_run:  # images are checked, not saved, in a dry run: the ones found are not missing
            unresolved = [url for url in unresolved if self._upload_name(url) not in self.upload_paths]
        self.report.unresolved_links.update(unresolved)
        return converted.html

    def _common_fields(self, record: Node, kind: str) -> dict:
        title = plain_text(record.get("title")) or f"Untitled {kind} {record.get('wp:post_id')}"
        if len(title) > 200:
            self.report.note(kind, "title longer than 200 characters: shortened")
        body = self._converted(record, kind)
        summary = plain_text(record.get("excerpt:encoded"))
        if not summary:
            summary = derived_summary(body) or title
        values = meta(record)
        description = plain_text(values.get("_yoast_wpseo_metadesc") or values.get("rank_math_description") or "")
        seo_title = values.get("_yoast_wpseo_title") or values.get("rank_math_title") or ""
        seo_title = plain_text(OTHER_VARIABLES.sub("", TITLE_VARIABLE.sub(title, seo_title))).strip(" -|–·")
        if seo_title == title:
            seo_title = ""
        if len(seo_title) > 70 or len(description) > 200:
            self.report.note(kind, "search title or description too long: shortened")
        featured = None
        thumbnail = values.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            featured = self.images.get(int(thumbnail))
            if featured is None and int(thumbnail) not in self.images:
                self.report.note(kind, "featured image not in the file: none set")
        return {
            "title": shorten(title, 200),
            "summary": shorten(summary, 500),
            "body": body,
            "author_id": self._user_id(plain_text(record.get("dc:creator"))),
            "seo_title": shorten(seo_title, 70),
            "meta_description": shorten(description, 200),
            "featured_image_id": featured,
        }

    def _terms_of(self, record: Node, values: dict) -> tuple[int, list[int]]:
        categories, tags = [], []
        for node in record.all("category"):
            domain, nicename, name = node.attrs.get("domain"), node.attrs.get("nicename", ""), plain_text(node.text)
            if domain == "category":
                categories.append(self._category(nicename or slugify(name), name or nicename)[0])
            elif domain in ("post_tag", "tag"):
                tags.append(self._tag(nicename, name or nicename))
        primary = values.get("_yoast_wpseo_primary_category") or values.get("rank_math_primary_category") or ""
        known = (
            dict(
                ImportedItem.objects.filter(site=self.site, kind=ItemKind.CATEGORY, wp_id=int(primary)).values_list(
                    "wp_id", "object_id"
                )
            )
            if primary.isdigit()
            else {}
        )
        category = known.get(int(primary)) if known else None
        if category not in categories:
            category = categories[0] if categories else self._category("uncategorized", UNCATEGORISED)[0]
        if len(set(categories)) > 1:
            # One category per article here: the others are kept as tags, so no grouping is lost.
            self.report.note("post", "in several categories: the first kept, the others added as tags")
            for other in dict.fromkeys(categories):
                if other != category:
                    name = self.category_names.get(other) or Category.objects.get(pk=other).name
                    tags.append(self._tag(slugify(name), name))
        return category, list(dict.fromkeys(tags))

    def _write_posts(self, records: list[Node]) -> None:
        with transaction.atomic():
            wp_ids = [int(record.get("wp:post_id") or 0) for record in records]
            known = dict(
                ImportedItem.objects.filter(site=self.site, kind=ItemKind.POST, wp_id__in=wp_ids).values_list(
                    "wp_id", "imported_at"
                )
            )
            existing = {
                article.slug: article
                for article in Article.objects.filter(slug__in=[self.plans[i].slug for i in wp_ids]).only(
                    "pk", "slug", "updated_at", "last_reviewed", "category_id", *POST_CONTENT_FIELDS
                )
            }
            current_tags = defaultdict(set)
            for object_id, tag_id in TaggedItem.objects.filter(
                content_type=self.types[Article], object_id__in=[article.pk for article in existing.values()]
            ).values_list("object_id", "tag_id"):
                current_tags[object_id].add(tag_id)
            new, updated, kept, tag_rows, changed = [], [], [], {}, {}
            for wp_id, record in zip(wp_ids, records, strict=True):
                plan = self.plans[wp_id]
                current = existing.get(plan.slug)
                if current is not None and self._changed_here(current, known.get(wp_id), "post"):
                    kept.append((wp_id, current))
                    continue
                values = meta(record)
                fields = self._common_fields(record, "post")
                category, tags = self._terms_of(record, values)
                if (
                    current is not None
                    and same_content(current, {**fields, "category_id": category})
                    and current_tags[current.pk] == set(tags)
                ):
                    self.report.unchanged["post"] += 1
                    kept.append((wp_id, current))
                    continue
                status, when = self._state(record, "post")
                article = Article(slug=plan.slug, category_id=category, updated_at=self.now, **fields)
                if current is None:
                    article.status, article.published_at = status, when
                    new.append((wp_id, article))
                else:
                    article.pk = current.pk
                    updated.append((wp_id, article))
                tag_rows[plan.slug] = tags
                changed[plan.slug] = last_changed(record, self.now)
            if new:
                Article.objects.bulk_create([article for _, article in new])
            if updated:
                # Only content fields: the state is the workflow's from the first import on.
                Article.objects.bulk_update(
                    [article for _, article in updated],
                    [
                        "title",
                        "summary",
                        "body",
                        "category",
                        "author",
                        "seo_title",
                        "meta_description",
                        "featured_image",
                        "updated_at",
                    ],
                )
                TaggedItem.objects.filter(
                    content_type=self.types[Article], object_id__in=[article.pk for _, article in updated]
                ).delete()
            written = new + updated
            keep_wordpress_dates(Article, [article for _, article in written], changed)
            insert_rows(
                TaggedItem,
                ["content_type", "object_id", "tag"],
                [(self.types[Article].pk, a.pk, tag) for _, a in written for tag in tag_rows[a.slug]],
            )
            self._remember_items(ItemKind.POST, Article, written)
            self._remember_addresses(ItemKind.POST, Article, written + kept)
            self.report.created["post"] += len(new)
            self.report.updated["post"] += len(updated)
            if written:
                self.bulk.written(Article, [article for _, article in written])

    def _changed_here(self, current, imported_at: datetime | None, kind: str) -> bool:
        """True (and reported) when an editor or reviewer has worked on the object since the import wrote it."""
        if current.last_reviewed is not None:
            self.report.skip(kind, "medically reviewed here since the import: left as it is")
            return True
        if imported_at is None or current.updated_at > imported_at:
            self.report.skip(kind, "edited here since the import (or not made by it): left as it is")
            return True
        return False

    def _remember_items(self, kind: str, model, written: list[tuple[int, object]]) -> None:
        """Record what this run wrote: the object of each WordPress id, and when it was written."""
        if not written:
            return
        ImportedItem.objects.bulk_create(
            [
                ImportedItem(
                    site=self.site,
                    kind=kind,
                    wp_id=wp_id,
                    content_type=self.types[model],
                    object_id=obj.pk,
                    imported_at=obj.updated_at,
                )
                for wp_id, obj in written
            ],
            update_conflicts=True,
            unique_fields=["site", "kind", "wp_id"],
            update_fields=["content_type", "object_id", "imported_at"],
        )

    def _remember_addresses(self, kind: str, model, objects: list[tuple[int, object]]) -> None:
        """Point the old addresses of every imported object at it, whether this run wrote it or left it alone
        (its permalink may have changed on WordPress since the last run)."""
        if not objects:
            return
        addresses = {}
        for wp_id, obj in objects:
            plan = self.plans[wp_id]
            if plan.link and self._is_old_site(plan.link):
                addresses[(query_address(plan.link) or path_of(plan.link))[:500]] = obj.pk
            addresses[f"?{'page_id' if kind == ItemKind.PAGE else 'p'}={wp_id}"] = obj.pk
            addresses[f"?p={wp_id}"] = obj.pk
        transaction.on_commit(forget_prefixes)
        OldAddress.objects.bulk_create(
            [
                OldAddress(address=address, content_type=self.types[model], object_id=pk)
                for address, pk in addresses.items()
                if address != "/"
            ],
            update_conflicts=True,
            unique_fields=["address"],
            update_fields=["content_type", "object_id", "image"],
        )

    # --- pages ---------------------------------------------------------------------------------------

    def _page_arrived(self, record: Node) -> None:
        wp_id = int(record.get("wp:post_id") or 0)
        parent = self.plans[wp_id].parent_plan
        if parent and parent not in self.written_pages:
            self.held_pages[parent].append(record)  # its parent comes later in the file
            return
        self._write_page(record)

    def _write_page(self, record: Node) -> None:
        wp_id = int(record.get("wp:post_id") or 0)
        plan = self.plans[wp_id]
        with transaction.atomic():
            item = ImportedItem.objects.filter(site=self.site, kind=ItemKind.PAGE, wp_id=wp_id).first()
            current = Page.objects.filter(pk=item.object_id).first() if item else None
            if current is not None and self._changed_here(current, item.imported_at, "page"):
                self.written_pages[wp_id] = current
                page = None
            else:
                page = self._page_to_write(record, plan, current)
                self.written_pages[wp_id] = page or current
            if page is not None:
                page.save()
                keep_wordpress_dates(Page, [page], {page.slug: last_changed(record, self.now)})
                self._remember_items(ItemKind.PAGE, Page, [(wp_id, page)])
                self.bulk.written(Page, [page])
            self._remember_addresses(ItemKind.PAGE, Page, [(wp_id, self.written_pages[wp_id])])
        for child in self.held_pages.pop(wp_id, []):
            self._write_page(child)

    def _page_to_write(self, record: Node, plan, current: Page | None) -> Page | None:
        """A new page for ``record``, or ``current`` holding the export's content; None when it already does."""
        fields = self._common_fields(record, "page")
        if current is None:
            status, when = self._state(record, "page")
            self.report.created["page"] += 1
            return Page(
                segment=plan.slug,
                parent=self.written_pages.get(plan.parent_plan),
                position=min(max(plan.order, 0), 32767),
                status=status,
                published_at=when,
                **fields,
            )
        if same_content(current, fields):
            self.report.unchanged["page"] += 1
            return None
        for name, value in fields.items():
            setattr(current, name, value)
        self.report.updated["page"] += 1
        return current

    # --- what bodies link to ------------------------------------------------------------------------

    def rewrite_url(self, url: str) -> str | None:
        """The new address for a link to the old site, or None when it names nothing imported."""
        if not self._is_old_site(url):
            return None
        query = query_address(url)
        if query and query in self.links:
            return self.links[query]
        path = path_of(url)
        if path in self.links:
            return self.links[path]
        if path.startswith("/wp-content/uploads/") and self.upload_paths.get(path.split("/uploads/", 1)[1]):
            return path  # answered by the redirect to the image
        return None

    def image_id_for_url(self, url: str) -> int | None:
        return self.upload_paths.get(self._upload_name(url)) if self._is_old_site(url) else None

    @staticmethod
    def _upload_name(url: str) -> str:
        """``2019/03/pill.jpg`` for an address under the uploads folder, else ""."""
        path = unquote(urlsplit(url.strip()).path)
        return path.split("/uploads/", 1)[1] if "/uploads/" in path else ""


def import_wordpress(**options) -> Report:
    """Import the WordPress export at ``path`` (see ``Importer`` for the options and the module for the rules)."""
    return Importer(**options).run()
