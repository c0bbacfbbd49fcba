from django import forms
from django.forms.renderers import Jinja2

from search.models import Kind
from search.services import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """The reader's search: words and optional filters. Category choices come from the view.

    Its fields render through Django's Jinja2 widget templates (the same markup as the Django ones): on a
    search page, rendering them with Django's template engine took a quarter of the page's time.
    """

    default_renderer = Jinja2()

    q = forms.CharField(label="Search for", max_length=MAX_QUERY_LENGTH, required=False, widget=forms.SearchInput)
    kind = forms.ChoiceField(label="Show", choices=[("", "Everything"), *Kind.choices], required=False)
    category = forms.ChoiceField(label="Category", required=False)
    tag = forms.SlugField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, max_value=1000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category")] + [(c.slug, c.name) for c in categories]
        self.fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")
