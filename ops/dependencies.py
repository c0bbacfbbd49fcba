"""Which dependency keys a rendered page showed, read from its template context.

Views stay unaware of caching: after a ``TemplateResponse`` renders, the page
cache walks its context and records every model instance the template could
have shown (articles in lists and "See also", the category or tag the page is
about, drugs), plus, for list pages, a key meaning "any row of this model"
(a newly published article must appear on the home page even though the page
never rendered it). Only querysets that were actually evaluated are read, so
the walk costs no SQL.
"""

from django.core.paginator import Page
from django.db.models import Model, QuerySet

from ops.versions import ALL_CONTENT, SITE, list_key, model_key

ARTICLES = list_key("articles.article")
CATEGORIES = list_key("articles.category")
TAGS = list_key("taggit.tag")
DRUGS = list_key("drugs")
PAGES = list_key("pages.page")

# What a page shows beyond the instances in its context. A view missing here
# depends on every write ("list:all"): correct, just less precise.
VIEW_DEPENDENCIES = {
    "articles:home": {ARTICLES, CATEGORIES},
    "articles:article": set(),
    "articles:category-index": {CATEGORIES},
    "articles:category": set(),
    "articles:tag-index": {ARTICLES, TAGS},
    "articles:tag": set(),
    "drugs:index": {DRUGS},
    "drugs:class-index": {DRUGS},
    "drugs:condition-index": {DRUGS},
    "drugs:drug": {DRUGS},
    "drugs:class": {DRUGS},
    "drugs:condition": {DRUGS},
    "drugs:interactions": {DRUGS},
    # A page lists its published subpages and links its parents.
    "pages:page": {PAGES},
}
# Relations whose prefetched rows are shown beside an instance (tag chips, drug
# links): a page showing them depends on "any tag" / "any drug" changing, not on
# each one, so publishing an article with a tag does not expire every page that
# merely shows that tag's name.
SHOWN_PREFETCHES = {"tags": TAGS, "drugs": DRUGS}
# The same for lists attached as plain attributes (article cards' ``tag_list``).
SHOWN_ATTRIBUTES = {"tag_list": TAGS}
MAX_DEPTH = 3


def page_dependencies(view_name: str | None, context: dict | None) -> set[str]:
    keys = {SITE} | VIEW_DEPENDENCIES.get(view_name or "", {ALL_CONTENT})
    for value in (context or {}).values():
        _collect(value, keys, depth=0)
    return keys


def shown_dependencies(shown, *, lists: set[str]) -> set[str]:
    """Keys of a response built without a template (the read API): the instances in ``shown``, plus ``lists``."""
    keys = {SITE} | set(lists)
    _collect(shown, keys, depth=0)
    return keys


def _collect(value, keys: set[str], depth: int) -> None:
    if depth > MAX_DEPTH or value is None or isinstance(value, str | bytes | int | float):
        return
    if isinstance(value, Model):
        _collect_instance(value, keys)
    elif hasattr(value, "shown_rows"):  # a row read without the ORM (articles.cards.Card)
        _collect_row(value, keys)
    elif isinstance(value, QuerySet):
        if value._result_cache is not None:  # only what the template really evaluated
            for item in value._result_cache:
                _collect(item, keys, depth + 1)
    elif isinstance(value, Page):
        _collect(value.object_list, keys, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, keys, depth + 1)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _collect(item, keys, depth + 1)


def _collect_row(row, keys: set[str]) -> None:
    keys.update(model_key(label, pk) for label, pk in row.shown_rows())
    keys.update(key for name, key in SHOWN_ATTRIBUTES.items() if getattr(row, name, None) is not None)


def _collect_instance(instance: Model, keys: set[str]) -> None:
    if instance.pk is None:
        return
    keys.add(model_key(instance))
    # Foreign keys shown beside an instance (an article card names its category).
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.many_to_one and field.name in instance._state.fields_cache:
            related = instance._state.fields_cache[field.name]
            if related is not None and related.pk is not None:
                keys.add(model_key(related))
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    keys.update(key for name, key in SHOWN_PREFETCHES.items() if name in prefetched)
    keys.update(key for name, key in SHOWN_ATTRIBUTES.items() if name in instance.__dict__)
