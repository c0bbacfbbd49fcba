"""Bump the versions of what a write touches, so cached pages showing it go stale at once.

Each key is bumped straight away (so the writer's own next request sees the
change) and again after the transaction commits (so a reader who re-cached
the page from the old rows meanwhile does not keep it).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles import models as article_models
from articles.counts import item_unchanged
from articles.models import Article, Category, PinnedLink, Reference, RelatedArticle
from articles.signals import see_also_refreshed
from changelog.models import ChangeNote
from ops import schedule
from ops.dependencies import ARTICLES, CATEGORIES, DRUGS
from ops.versions import ALL_CONTENT, SITE, bump, list_key, model_key
from pages.models import Page
from publishing.registry import is_publishable, publishable_models
from publishing.switches import ThreadSwitch

# The apps of every publishable model (publishing.registry), and what pages show beside their content.
WATCHED_APPS = {"taggit", "auth", "images", "changelog", *(model._meta.app_label for model in publishable_models())}
# Stored See also scores are written in bulk and expire pages through
# _SeeAlsoHolders; a delete receiver on them would also cost Django's fast delete.
# The stored counts and tag-page rows are derived from articles and their tag rows, whose own saves expire the
# pages (a delete receiver would also cost the tag-page rows Django's fast delete).
DERIVED_ROWS = {
    "articles.tagpublication",
    "articles.taggrouppublication",
    "articles.tagarticlecount",
    "articles.taggrouparticlecount",
    "articles.categoryarticlecount",
}
# Renditions are made while pages render and change nothing a page shows; an image's own save (a new file, alt
# text, caption) is what expires the pages showing it (they record its key: ops.dependencies).
UNWATCHED_MODELS = {"articles.relatedarticle", "auth.permission", "auth.group", "images.rendition", *DERIVED_ROWS}
_suspension = ThreadSwitch()
# Skip per-row invalidation inside the block (bulk imports); the caller bumps once at the end.
invalidation_suspended = _suspension.turned_on


def invalidate_everything() -> None:
    """Make every cached page stale (after a bulk import)."""
    bump({SITE})
    schedule.forget_next_publish()


def _suspended() -> bool:
    return _suspension.is_on


def bump_now_and_on_commit(keys) -> None:
    """New versions for ``keys`` now, so no reader caches the page being changed under its current versions, and
    again after commit. Within one transaction a key is bumped now only the first time: the bump after commit
    covers every later write (an editor's save writes the same keys a dozen times)."""
    after_commit = _queued(_AfterCommit, lambda callback: True)  # outside a transaction: called at once, empty
    fresh = set(keys) - after_commit.keys
    bump(fresh)
    after_commit.keys |= fresh


class _AfterCommit:
    """One callback per transaction, however many rows it writes."""

    def __init__(self):
        self.keys: set[str] = set()

    def __call__(self):
        bump(self.keys)


class _SeeAlsoHolders:
    """Expire the pages whose "See also" lists an article.

    Queued after commit from an article's save or re-tagging (pinned links
    and lists as they are), and called again once the task worker has
    rewritten the stored scores (``see_also_rewritten``), reading the new rows.
    """

    def __init__(self, article_id: int):
        self.article_id = article_id

    def __call__(self):
        holders = set(RelatedArticle.objects.filter(related_id=self.article_id).values_list("article_id", flat=True))
        holders |= set(PinnedLink.objects.filter(target_id=self.article_id).values_list("article_id", flat=True))
        bump({model_key("articles.article", pk) for pk in holders})


@receiver(see_also_refreshed)
def see_also_rewritten(sender, article_id: int, **kwargs):
    """The worker rewrote the lists (``articles.tasks``), after the save's own bumps.

    A reader may have cached a page from the old lists in between: the
    article's own page, and pages that showed it (they depend on its key).
    Pages that list it now are found by ``_SeeAlsoHolders``.
    """
    bump({model_key("articles.article", article_id)})
    _SeeAlsoHolders(article_id)()


def queue_see_also_holders(article_id: int) -> None:
    _queued(_SeeAlsoHolders, lambda callback: callback.article_id == article_id, article_id)


def _queued(kind, matches, *args):
    # Django drops queued callbacks on rollback, so look in its own queue
    # rather than keeping ours, which could outlive a rolled-back transaction.
    for entry in getattr(connection, "run_on_commit", []):
        if isinstance(entry[1], kind) and matches(entry[1]):
            return entry[1]
    callback = kind(*args)
    transaction.on_commit(callback, robust=True)
    return callback


@receiver(m2m_changed, sender=Article.tags.through)
def article_retagged(sender, instance, action, **kwargs):
    """Queued after ``articles.signals`` queues its See also refresh for the same change."""
    if not _suspended() and action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        queue_see_also_holders(instance.pk)


def content_changed(sender, instance, raw=False, created=False, **kwargs):
    app_label = sender._meta.app_label
    if raw or _suspended() or app_label not in WATCHED_APPS:
        return
    if sender is TaggedItem and kwargs.get("signal") is post_save and item_unchanged(instance):
        return  # a revision's tag rows saved back as they were: no page changed
    keys = {model_key(instance), ALL_CONTENT}
    if not (created and sender is Tag):  # a new tag changes no page until an article carries it
        keys.add(list_key(sender._meta.label_lower))
    if app_label == "drugs":
        keys |= {DRUGS} | _drug_keys_of(instance)
    keys |= _extra_keys(sender, instance)
    bump_now_and_on_commit(keys)
    if sender is Article:
        queue_see_also_holders(instance.pk)
    if is_publishable(sender):
        schedule.forget_next_publish()


def _drug_keys_of(instance) -> set[str]:
    drug_id = getattr(instance, "drug_id", None)
    return {model_key("drugs.drug", drug_id)} if drug_id else set()


def _extra_keys(sender, instance) -> set[str]:
    if sender is Article:
        return _article_keys(instance)
    if sender is TaggedItem:
        keys = _tag_keys([instance.tag_id]) | {ARTICLES}
        if ContentType.objects.get_for_id(instance.content_type_id).model_class() is Article:
            keys.add(model_key("articles.article", instance.object_id))
            keys |= _category_keys(Article.objects.filter(pk=instance.object_id).values_list("category_id", flat=True))
        return keys
    if sender is Tag:
        return {ARTICLES}
    if sender._meta.label_lower == "articles.tagalias":
        return _tag_keys([instance.tag_id, instance.main_id]) | {ARTICLES}
    if sender in (Reference, PinnedLink, RelatedArticle):
        return {model_key("articles.article", instance.article_id)}
    if sender is Category:
        return {CATEGORIES} | _category_keys([instance.parent_id])
    if sender is Page:
        # Header and footer links are on every page: a page that is or was one of them expires them all.
        return {SITE} if instance.in_navigation or getattr(instance, "_in_navigation_before_save", False) else set()
    if sender is ChangeNote:  # shown on its page; corrections also on the Corrections page and feed (list:all)
        page = ContentType.objects.get_for_id(instance.content_type_id).model_class()
        return {model_key(page._meta.label_lower, instance.object_id)} if page else set()
    return set()


@receiver(pre_save, sender=Article)
def remember_previous_category(sender, instance, raw=False, **kwargs):
    if raw or _suspended() or instance.pk is None:
        return
    instance._category_before_save = (
        Article.objects.filter(pk=instance.pk).values_list("category_id", flat=True).first()
    )


@receiver(pre_save, sender=Page)
def remember_previous_navigation(sender, instance, raw=False, **kwargs):
    if raw or _suspended() or instance.pk is None:
        return
    flags = Page.objects.filter(pk=instance.pk).values_list("show_in_header", "show_in_footer").first()
    instance._in_navigation_before_save = bool(flags and any(flags))


def _article_keys(article: Article) -> set[str]:
    """Its category pages (old and new, and every category above), its tag and drug pages."""
    categories = {article.category_id, getattr(article, "_category_before_save", None)}
    keys = _category_keys(categories)
    keys |= _tag_keys(_tag_ids(article))
    drug_ids = Article.drugs.through.objects.filter(article_id=article.pk).values_list("drug_id", flat=True)
    keys |= {model_key("drugs.drug", pk) for pk in drug_ids}
    return keys


def _tag_ids(article: Article) -> list[int]:
    return list(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
        ).values_list("tag_id", flat=True)
    )


def _tag_keys(tag_ids) -> set[str]:
    """Keys of these tags and of their aliases or main tags: an alias's page lists its main tag's articles."""
    ids = set(tag_ids)
    alias_model = getattr(article_models, "TagAlias", None)
    if alias_model is not None and ids:
        pairs = alias_model.objects.filter(Q(tag_id__in=ids) | Q(main_id__in=ids)).values_list("tag_id", "main_id")
        ids |= {pk for pair in pairs for pk in pair}
    return {model_key("taggit.tag", pk) for pk in ids}


def _category_keys(category_ids) -> set[str]:
    """Keys of these categories and all their ancestors: a parent's page lists its subtree."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    keys, frontier = set(), {pk for pk in category_ids if pk}
    while frontier:
        pk = frontier.pop()
        keys.add(model_key("articles.category", pk))
        parent = parents.get(pk)
        if parent and model_key("articles.category", parent) not in keys:
            frontier.add(parent)
    return keys


@receiver(m2m_changed, sender=Article.drugs.through)
def article_drugs_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if _suspended() or action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if action == "pre_clear":  # post_clear no longer knows which rows went
        column, owner = ("article_id", "drug_id") if reverse else ("drug_id", "article_id")
        pk_set = set(sender.objects.filter(**{owner: instance.pk}).values_list(column, flat=True))
    # Forward (article.drugs.add) or reverse (drug.articles.add): the article's page and the drug's page.
    other_label = "articles.article" if reverse else "drugs.drug"
    keys = {model_key(instance)} | {model_key(other_label, pk) for pk in pk_set or ()}
    bump_now_and_on_commit(keys | {ALL_CONTENT})


@receiver(m2m_changed)
def drug_relations_changed(sender, instance, action, **kwargs):
    """Drug classes and other many-to-many links of the drugs app."""
    if _suspended() or not action.startswith("post_") or sender._meta.app_label != "drugs":
        return
    bump_now_and_on_commit({model_key(instance), DRUGS, ALL_CONTENT})


def connect_receivers() -> None:
    """Listen to saves and deletes of the models pages show, one sender at a time.

    Receivers for every sender would make every queryset delete in the
    project (for example of stored See also rows) load and signal each row.
    """
    for app_label in WATCHED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label_lower not in UNWATCHED_MODELS:
                post_save.connect(content_changed, sender=model, dispatch_uid=f"ops-save-{model._meta.label_lower}")
                post_delete.connect(content_changed, sender=model, dispatch_uid=f"ops-delete-{model._meta.label_lower}")


connect_receivers()
