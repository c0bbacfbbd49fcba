"""Keep the addresses below a moved page current, and the cached navigation fresh.

A receiver, like ``workflow.signals``, because a page's address can change by
any path: the admin, a restored revision, published pending changes, a script.
Each page below whose address no longer matches is saved again, so its own
old address is remembered as a redirect in the same way.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pages.models import Page
from pages.navigation import forget_navigation


@receiver(post_save, sender=Page)
def page_saved(sender, instance, raw=False, **kwargs):
    forget_navigation()
    if not raw:
        readdress_children(instance)


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    forget_navigation()


def readdress_children(page: Page) -> None:
    """Save again each child whose address does not start with ``page``'s; each does the same for its own."""
    for child in Page._base_manager.filter(parent_id=page.pk):
        child.parent = page
        if child.slug != child.address_from_parent():
            child.save(update_fields=["slug"])
