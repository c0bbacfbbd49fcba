"""Form widgets for the content admin: the search-result preview under a page's search description."""

from django import forms

# Stands in for the slug in a page address, so the preview can put the typed slug there.
SLUG_PLACEHOLDER = "slug-goes-here"
SEARCH_TITLE_FITS = 60
SEARCH_DESCRIPTION_FITS = 155


class LengthHintInput(forms.TextInput):
    """A text box that shows how much of it a search engine will show (workflow/search-preview.js)."""

    def __init__(self, *, fits: int, attrs=None):
        super().__init__(attrs={"data-length-hint": fits, "size": 60, **(attrs or {})})


class SearchDescriptionWidget(forms.Textarea):
    """The search description box, then a live preview of the search result: title, address, description."""

    template_name = "workflow/widgets/search_description.html"

    def __init__(self, *, preview: dict, attrs=None):
        super().__init__(attrs={"rows": 3, "data-length-hint": SEARCH_DESCRIPTION_FITS, **(attrs or {})})
        self.preview = preview

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["preview"] = self.preview
        return context

    class Media:
        js = ["workflow/search-preview.js"]


def search_preview_settings(model, request, site_name: str) -> dict:
    """What the preview reads: the address around the slug, the boxes its fallbacks come from, the site name."""
    try:
        address = request.build_absolute_uri(model(slug=SLUG_PLACEHOLDER).get_absolute_url())
    except (TypeError, ValueError, AttributeError):  # a type whose address is not made from a slug
        address = request.build_absolute_uri("/")
    before, _, after = address.partition(SLUG_PLACEHOLDER)
    field_names = {field.name for field in model._meta.get_fields()}
    return {
        "address_before": before,
        "address_after": after,
        "title_input": f"id_{model.title_field}",
        "summary_input": "id_summary" if "summary" in field_names else "",
        "site_name": site_name,
    }
