"""Every web address the site's pages use: reference addresses and links in rich-text bodies.

Generic over content: any publishable model (``publishing.registry``), its rich-text fields found by type
(``ProseEditorField``) and its references found as related models subclassing ``publishing.models.Reference``.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib.contenttypes.models import ContentType
from django_prose_editor.fields import ProseEditorField

from publishing.models import Reference
from publishing.registry import publishable_models


@dataclass(frozen=True)
class Use:
    url: str
    content_type_id: int
    object_id: int
    where: str
    reference_id: int | None
    page_title: str


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def links_in(html: str) -> list[str]:
    """The absolute http(s) addresses linked from ``html``; our own relative links and mailto: are not checked."""
    parser = _Links()
    parser.feed(html or "")
    return [href.strip() for href in parser.hrefs if is_checkable(href.strip())]


def is_checkable(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and len(url) <= 2000


def rich_text_fields(model) -> list[str]:
    return [field.name for field in model._meta.get_fields() if isinstance(field, ProseEditorField)]


def reference_relations(model) -> list:
    """The reverse relations from ``model`` to its reference rows (``article.references`` ...)."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many and issubclass(relation.related_model, Reference)
    ]


def collect_uses() -> list[Use]:
    """Every use of a checkable address on every page, whatever its state (drafts need good links too)."""
    uses = []
    for model in publishable_models():
        content_type = ContentType.objects.get_for_model(model)
        title_field = model.title_field
        bodies = rich_text_fields(model)
        titles = {}
        for row in model._base_manager.values("pk", title_field, *bodies).iterator():
            titles[row["pk"]] = row[title_field]
            for name in bodies:
                for url in links_in(row[name]):
                    uses.append(Use(url, content_type.pk, row["pk"], "body", None, row[title_field]))
        for relation in reference_relations(model):
            page_key = relation.field.attname
            for ref_pk, page_pk, url in relation.related_model._base_manager.exclude(url="").values_list(
                "pk", page_key, "url"
            ):
                if is_checkable(url) and page_pk in titles:
                    uses.append(Use(url, content_type.pk, page_pk, "reference", ref_pk, titles[page_pk]))
    return uses
