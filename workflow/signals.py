"""Remember the old address when public content is renamed.

A receiver rather than a call in the admin because a slug can change by any
path (the admin, a revision restore, a script); whichever it is, a reader's
old link must keep working. It costs one small query per save of a renamed
model and writes only when the slug actually changed.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Category, Status
from drugs.models import Drug
from workflow.services import slug_change_record

PUBLISHABLE = (Article, Drug)


def _was_public(model, old: dict) -> bool:
    if model in PUBLISHABLE:
        return (
            old["status"] == Status.PUBLISHED
            and old["published_at"] is not None
            and (old["published_at"] <= timezone.now())
        )
    return True  # categories and tags have no state; a tag redirect is checked for articles when followed


@receiver(pre_save, sender=Article)
@receiver(pre_save, sender=Drug)
@receiver(pre_save, sender=Category)
@receiver(pre_save, sender=Tag)
def remember_old_slug(sender, instance, **kwargs):
    if instance.pk is None:
        return
    fields = ["slug", "status", "published_at"] if sender in PUBLISHABLE else ["slug"]
    old = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    if old is None or old["slug"] == instance.slug:
        return
    slug_change_record(
        model=sender,
        object_id=instance.pk,
        old_slug=old["slug"],
        new_slug=instance.slug,
        was_public=_was_public(sender, old),
    )
