"""The rich-text editor's internal link chooser: our own pages found by title, as site paths.

Every publishable type is searched (``publishing.registry``), each through its
``title_field`` and ``get_absolute_url()``, so a new content type is offered
without touching this module. One query per type the user may view, whatever
the size of the site.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from publishing.registry import publishable_models

MAX_RESULTS = 20
MAX_QUERY_LENGTH = 100


@require_GET
def link_chooser_view(request: HttpRequest) -> JsonResponse:
    """``?q=<title words>``: up to 20 pages as ``{"results": [{title, url, kind, state}]}``, best match first."""
    term = request.GET.get("q", "").strip()
    if len(term) > MAX_QUERY_LENGTH or "\x00" in term:
        return JsonResponse({"error": f"Type at most {MAX_QUERY_LENGTH} characters."}, status=400)
    if not term:
        return JsonResponse({"results": []})
    rows = [row for model in viewable_models(request.user) for row in matching_pages(model, term)]
    rows.sort(key=lambda row: (not row["title"].lower().startswith(term.lower()), row["title"].lower()))
    return JsonResponse({"results": rows[:MAX_RESULTS]})


def viewable_models(user) -> list:
    return [
        model
        for model in publishable_models()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]


def matching_pages(model, term: str) -> list[dict]:
    title_field = model.title_field
    found = model.objects.filter(**{f"{title_field}__icontains": term}).order_by(title_field, "pk")[:MAX_RESULTS]
    kind = str(model._meta.verbose_name).capitalize()
    return [
        {"title": getattr(page, title_field), "url": page.get_absolute_url(), "kind": kind, "state": page.state_label}
        for page in found
    ]
