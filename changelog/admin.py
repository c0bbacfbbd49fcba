from django.contrib.contenttypes.admin import GenericTabularInline

from changelog.models import ChangeNote


class ChangeNoteInline(GenericTabularInline):
    """Add to a content type's admin ``inlines``; the model needs ``change_notes = GenericRelation(ChangeNote)``."""

    model = ChangeNote
    fields = ["date", "summary", "is_correction"]
    extra = 0
    verbose_name = "public change note"
    verbose_name_plural = "Public change log (shown to readers; corrections are also listed site-wide)"
