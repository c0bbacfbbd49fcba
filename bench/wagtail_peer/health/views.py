from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from health.models import ArticlePage, with_categories

SEARCH_PAGE_SIZE = 10


def search(request):
    """The search view of ``wagtail start``, over the articles, ranked by Wagtail's search backend."""
    query = request.GET.get("q", "").strip()
    articles = ArticlePage.objects.live().defer_streamfields()
    results = articles.search(query) if query else articles.none()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_categories(page.object_list)
    return TemplateResponse(request, "health/search.html", {"query": query, "results": page})
