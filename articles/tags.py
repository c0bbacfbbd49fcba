"""Tag care: merging duplicate tags and deleting unused ones (publishers, from the tag admin).

Keyword-only, transactional services (STYLE.md). Tags are taggit's generic
``TaggedItem`` rows, so taggit's own merge action and cleanup commands keep
working beside these.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from taggit.models import Tag, TaggedItem

from articles import tag_groups
from articles.models import Article, TagAlias
from articles.signals import schedule_see_also
from workflow.models import SlugRedirect


@transaction.atomic
def tag_merge(*, survivor: Tag, others: list[Tag]) -> int:
    """Fold ``others`` into ``survivor``: their articles keep every tag once, their URLs redirect.

    Returns how many tag assignments moved. Aliases of a merged tag become
    aliases of the survivor (of its main tag, when the survivor is an alias);
    a merged tag that was the survivor's alias simply goes. "See also" lists
    of the articles touched are recomputed on commit.
    """
    others = [tag for tag in others if tag.pk != survivor.pk]
    if not others:
        raise ValidationError("Choose at least one tag other than the one to keep.")
    other_ids = [tag.pk for tag in others]
    items = TaggedItem.objects.filter(tag_id__in=other_ids)
    touched = list(items.values_list("content_type_id", "object_id").distinct())
    already = set(TaggedItem.objects.filter(tag=survivor).values_list("content_type_id", "object_id"))
    moved = 0
    for item in TaggedItem.objects.filter(tag_id__in=other_ids).order_by("pk"):
        key = (item.content_type_id, item.object_id)
        if key in already:
            item.delete()
            continue
        already.add(key)
        item.tag = survivor
        item.save(update_fields=["tag"])
        moved += 1
    TagAlias.objects.filter(tag=survivor, main_id__in=other_ids).delete()
    # A survivor that is itself an alias passes the merged tags' aliases on to its own main tag: an alias of an
    # alias would break the rule that a group is one main tag and its aliases.
    main_id = tag_groups.main_tag_id(survivor.pk)
    TagAlias.objects.filter(main_id__in=other_ids).exclude(tag_id=main_id).update(main_id=main_id)
    tag_groups.rebuild_groups([main_id])  # ``update()`` sends no signal
    tag_type = ContentType.objects.get_for_model(Tag)
    SlugRedirect.objects.filter(content_type=tag_type, object_id__in=other_ids).update(object_id=survivor.pk)
    old_slugs = [tag.slug for tag in others]
    Tag.objects.filter(pk__in=other_ids).delete()
    for slug in old_slugs:
        SlugRedirect.objects.update_or_create(content_type=tag_type, old_slug=slug, defaults={"object_id": survivor.pk})
    article_type = ContentType.objects.get_for_model(Article)
    for content_type_id, object_id in touched:
        if content_type_id == article_type.pk:
            schedule_see_also(object_id)
    return moved


@transaction.atomic
def tags_delete_unused(*, tags) -> int:
    """Delete those of ``tags`` that no content carries and no tag uses as its main name; returns how many."""
    unused = tags.filter(taggit_taggeditem_items__isnull=True, aliases__isnull=True)
    count = unused.count()
    Tag.objects.filter(pk__in=list(unused.values_list("pk", flat=True))).delete()
    return count
