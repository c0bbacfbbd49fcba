"""What readers see of the change log: corrections on pages they can see, with each page's title and address."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from changelog.models import ChangeNote, ChangeNoteQuerySet
from publishing.registry import publishable_models


def public_corrections() -> ChangeNoteQuerySet:
    """Corrections on published pages, newest first: one query, whatever the number of content types."""
    models = publishable_models()
    visible = Q(pk__in=[])
    for model, content_type in ContentType.objects.get_for_models(*models).items():
        visible |= Q(content_type=content_type, object_id__in=model._default_manager.published().values("pk"))
    return ChangeNote.objects.corrections().filter(visible)


def attach_pages(notes) -> list[ChangeNote]:
    """Set ``page_title`` and ``page_url`` on each note: one query per content type among them.

    A note whose page readers cannot see (unpublished since the list was read) is dropped.
    """
    notes = list(notes)
    by_type: dict[int, set[int]] = {}
    for note in notes:
        by_type.setdefault(note.content_type_id, set()).add(note.object_id)
    pages = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        for page in model._default_manager.published().filter(pk__in=ids):
            pages[(content_type_id, page.pk)] = page
    shown = []
    for note in notes:
        page = pages.get((note.content_type_id, note.object_id))
        if page is not None:
            note.page_title = getattr(page, page.title_field)
            note.page_url = page.get_absolute_url()
            shown.append(note)
    return shown
