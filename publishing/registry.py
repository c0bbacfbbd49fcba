"""Every installed publishable model, found by subclass rather than listed by hand.

The workflow's review queue, roles and redirects, the scheduled-publish
clock, search and the sitemap ask here, so a new content type that
subclasses ``Publishable`` is known to all of them by being installed.
"""

from django.apps import apps

from publishing.models import Publishable


def publishable_models() -> list[type[Publishable]]:
    """Concrete ``Publishable`` subclasses of the installed apps, in INSTALLED_APPS order."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.abstract and not model._meta.proxy
    ]


def is_publishable(model) -> bool:
    return isinstance(model, type) and issubclass(model, Publishable)
