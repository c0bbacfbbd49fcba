from django.views.generic import ListView

from changelog.selectors import attach_pages, public_corrections


class CorrectionsView(ListView):
    """Every correction on a page readers can see, newest first (``?page=N``)."""

    template_name = "changelog/corrections.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return public_corrections()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["corrections"] = attach_pages(context["corrections"])
        context["breadcrumbs"] = [("Corrections", None)]
        return context
