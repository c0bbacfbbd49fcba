"""Admin input hardening: what an editor or a crafted request types never becomes a server error.

Mixins for any ModelAdmin: searches the database cannot run find nothing,
relation boxes refuse values that are not keys with a form error, and add
pages' ``?field=value`` prefills keep only values their field accepts.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

# Longer searches match nothing anyway and, on SQLite, fail ("LIKE or GLOB pattern too complex").
SEARCH_MAX_LENGTH = 200


def is_searchable(term: str) -> bool:
    """Whether the database can look for ``term``: PostgreSQL refuses text with a null byte."""
    return len(term) <= SEARCH_MAX_LENGTH and "\x00" not in term


class BoundedSearchMixin:
    """A changelist or autocomplete search the database cannot run (too long, a null byte) finds nothing."""

    def get_search_results(self, request, queryset, search_term):
        if not is_searchable(search_term):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a key too big for the database as an invalid choice: SQLite raises OverflowError instead."""

    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": ", ".join(value)}
            ) from None


class KnownKeysOnlyMixin:
    """An autocomplete box shown again after a refused save leaves out values that are not keys.

    Django's widget looks every posted value up in the database, and a value
    that is not a key there (``abc``, or beyond 64 bits on SQLite) raises.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [each for each in value if self._is_key(each)], attr)

    def _is_key(self, value) -> bool:
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        try:
            key = target.to_python(value)
        except ValidationError:
            return False
        return not isinstance(key, int) or -(2**63) <= key < 2**63


class CheckedAutocompleteSelect(KnownKeysOnlyMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(KnownKeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class CheckedRelationsMixin:
    """Relation boxes answer a posted value that is not a key with a form error, never a server error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CleanInitialDataMixin:
    """An add page's ``?field=value`` prefill keeps only values the form field accepts.

    Django hands the raw strings to the widgets, and an autocomplete or date
    widget given one it cannot read (``?category=abc``) fails with a server error.
    """

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not initial:
            return initial
        fields = self.get_form(request).base_fields
        cleaned = {}
        for name, value in initial.items():
            if name not in fields:
                cleaned[name] = value
                continue
            try:
                cleaned[name] = fields[name].clean(value)
            except ValidationError:
                continue
        return cleaned


class ReadOnlyMixin:
    """For a ModelAdmin of records nobody edits by hand (logs, check results): view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
