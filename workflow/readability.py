"""Readability for editors: the live reading-age panel on every content change form, the glossary's admin,
and each page's stored reading age for the review queue.

The formulas and the glossary live in the ``readability`` app, which knows
nothing of content types; this module ties them to the publishable models
(``publishing.registry``).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save

from publishing.bulk import BulkHook, register_bulk_hook
from publishing.registry import publishable_models
from readability.glossary import glossary_pairs, terms_in
from readability.measure import LONG_SENTENCE_WORDS, NHS_TARGET, html_to_text, measure
from readability.models import GlossaryTerm, ReadingLevel
from security.admin_inputs import BoundedSearchMixin

_deferred: ContextVar[bool] = ContextVar("readability_deferred", default=False)


def readable_fields(model) -> list[str]:
    """The prose of a content type: its text fields (rich text included), in form order; titles and slugs are not."""
    return [field.name for field in model._meta.get_fields() if isinstance(field, models.TextField)]


def readable_text(values) -> str:
    """One text from field values (rich text or plain), one block per field, as the panel reads the form."""
    return "\n".join(html_to_text(value or "") for value in values)


def object_text(obj) -> str:
    return readable_text(getattr(obj, name) for name in readable_fields(type(obj)))


class ReadabilityPanelMixin:
    """For a content ModelAdmin: the reading-age panel under the first rich-text field of the change form."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        names = [name for name in readable_fields(self.model) if name in form.fields]
        if names:
            text = readable_text(form[name].value() for name in names)
            glossary = glossary_pairs()
            context["readability"] = {
                "report": measure(text),
                "fields": " ".join(form[name].id_for_label for name in names),
                "after": next((name for name in names if name == "body"), names[-1]),
                "glossary": glossary,
                "hints": terms_in(text, glossary),
                "target": NHS_TARGET,
                "long_sentence": LONG_SENTENCE_WORDS,
            }
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Publishers keep the plain-English hints shown beside the editor."""

    list_display = ["term", "plainer", "note"]
    search_fields = ["term", "plainer"]


# --- Stored reading age ---


def reading_levels_save(model, objects) -> None:
    """Measure ``objects`` (saved rows of ``model``) and store each one's reading age: one query."""
    objects = list(objects)
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(model)
    rows = []
    for obj in objects:
        report = measure(object_text(obj))
        rows.append(
            ReadingLevel(
                content_type=content_type,
                object_id=obj.pk,
                words=report.words,
                sentences=report.sentences,
                smog_age=report.smog_age,
                fk_age=report.fk_age,
            )
        )
    ReadingLevel.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=["words", "sentences", "smog_age", "fk_age", "measured_at"],
    )


def store_reading_level(sender, instance, raw=False, **kwargs):
    if raw or _deferred.get():
        return
    reading_levels_save(sender, [instance])


def forget_reading_level(sender, instance, **kwargs):
    ReadingLevel.objects.filter(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk).delete()


@contextmanager
def _defer():
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def reading_age_subquery(model):
    """The stored SMOG reading age of each row of ``model``, to annotate a queryset with."""
    return models.Subquery(
        ReadingLevel.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=models.OuterRef("pk")
        ).values("smog_age")[:1]
    )


def connect() -> None:
    """Store the reading age of every publishable model on each save, and per batch in bulk writes."""
    for model in publishable_models():
        uid = f"readability-{model._meta.label}"
        post_save.connect(store_reading_level, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_reading_level, sender=model, dispatch_uid=uid)
    register_bulk_hook(BulkHook(name="readability", defer=_defer, written=reading_levels_save))
