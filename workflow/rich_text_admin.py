"""Rich text on a read-only admin page shows as formatted text, not as its HTML source.

An author opening their article while it is in review sees the page read
only; Django's admin prints a read-only text field escaped, so the body came
out as ``<h2>…<p>…``. Stored rich text is sanitised on the way in
(``publishing.html``); it is sanitised again here, so a row written some other
way (SQL, ``QuerySet.update``) is still never shown unsanitised.
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_prose_editor.fields import ProseEditorField

from publishing.html import sanitize_html


class RichTextDisplay(forms.Widget):
    """Shows a rich-text value as sanitised HTML on a read-only admin page.

    Django's read-only field renders a form widget itself when the widget says
    ``read_only`` (the hook its password-hash widget uses).
    """

    read_only = True

    def render(self, name, value, attrs=None, renderer=None):
        html = sanitize_html(value or "")
        if not html:
            return "-"
        # The allowlist sanitiser has just cleaned it.
        return format_html('<div class="readonly-rich-text">{}</div>', mark_safe(html))  # noqa: S308  # nosec B308 B703


class RichTextViewMixin:
    """For a ModelAdmin: on a page the user may only view, every rich-text field shows as formatted text."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or self.has_change_permission(request, obj):
            return form
        # A view-only form leaves out every model field; a declared field stays (in subclasses too), so the
        # read-only page finds the display widget. The form takes no input: Django refuses a POST without the
        # change permission.
        shown = {name: forms.CharField(required=False, widget=RichTextDisplay()) for name in self.rich_text_fields()}
        return type(form.__name__, (form,), shown) if shown else form

    def rich_text_fields(self) -> set[str]:
        return {field.name for field in self.model._meta.get_fields() if isinstance(field, ProseEditorField)}
