from django.views.generic import DetailView, ListView

from drugs.models import Drug


class DrugIndexView(ListView):
    model = Drug
    template_name = "drugs/drug_index.html"
    context_object_name = "drugs"


class DrugDetailView(DetailView):
    model = Drug
    template_name = "drugs/drug_detail.html"
    context_object_name = "drug"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = self.object.articles.published().for_listing()[:20]
        return context
