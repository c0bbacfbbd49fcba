"""Remember the old address when public content is renamed.

A receiver rather than a call in the admin because a slug can change by any
path (the admin, a revision restore, a script); whichever it is, a reader's
old link must keep working. It costs one small query per save of a renamed
model and writes only when the slug actually changed.

Every publishable model is tracked; other models with public addresses
(categories, tags) are added by their app with ``track_slug_changes``.
"""

from django.db.models.signals import pre_save
from django.utils import timezone

from publishing.models import Status
from publishing.registry import is_publishable, publishable_models
from workflow.services import slug_change_record


def track_slug_changes(model) -> None:
    """Keep a redirect from each public slug ``model`` objects had before."""
    pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"workflow-slug-{model._meta.label_lower}")


def track_publishable_slugs() -> None:
    for model in publishable_models():
        track_slug_changes(model)


def _was_public(model, old: dict) -> bool:
    if is_publishable(model):
        return (
            old["status"] == Status.PUBLISHED
            and old["published_at"] is not None
            and (old["published_at"] <= timezone.now())
        )
    return True  # categories and tags have no state; a tag redirect is checked for articles when followed


def remember_old_slug(sender, instance, **kwargs):
    if instance.pk is None:
        return
    fields = ["slug", "status", "published_at"] if is_publishable(sender) else ["slug"]
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
