"""Answers for addresses readers cannot reach any more, and the editors' review queue."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from linkcheck.selectors import broken_uses
from publishing.registry import publishable_models
from workflow.models import SlugRedirect
from workflow.queue_flags import flagged_pages
from workflow.selectors import SORTS, review_queue, waiting_for_review


def moved_or_gone(request, *, queryset: QuerySet, slug: str, url_of=None) -> HttpResponse | None:
    """For a slug that found nothing public: 301 to the page it became, 410 if it was public once.

    Returns None when neither holds, and the caller answers 404. Runs only
    on the not-found path, in one query: the objects that have this slug now
    or had it before (``queryset`` may annotate ``is_public`` for models
    without a state; ``url_of`` gives the address of models without
    ``get_absolute_url``). A redirect never leads to content readers cannot see.
    """
    moved = SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model), old_slug=slug
    ).values("object_id")
    candidates = list(queryset.filter(Q(slug=slug) | Q(pk__in=moved)).order_by())
    for obj in candidates:
        if obj.slug != slug and getattr(obj, "is_public", True):
            return HttpResponsePermanentRedirect(url_of(obj) if url_of else obj.get_absolute_url())
    if any(getattr(obj, "is_gone", False) for obj in candidates):
        return render(request, "410.html", {"breadcrumbs": [("Gone", None)]}, status=410)
    return None


class MovedOrGoneMixin:
    """On a detail page's 404 path only: an old address answers 301, once-public content 410."""

    url_of = None

    def moved_or_gone_queryset(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            answer = moved_or_gone(
                request, queryset=self.moved_or_gone_queryset(), slug=self.kwargs["slug"], url_of=self.url_of
            )
            if answer is None:
                raise
            return answer


def view_permission(model) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def review_queue_view(request):
    """Publishable pages whose medical review is overdue or due within 30 days (admin only)."""
    from django.contrib import admin

    if not any(request.user.has_perm(view_permission(model)) for model in publishable_models()):
        raise PermissionDenied
    sort = request.GET.get("sort", "due")
    sort = sort if sort in SORTS else "due"
    rows = review_queue(sort=sort)
    context = {
        **admin.site.each_context(request),
        "title": "Medical review queue",
        "rows": rows,
        "waiting": waiting_for_review(sort=sort),
        "broken_links": broken_uses(),
        "flagged": flagged_pages(),
        "sort": sort,
        "sorts": SORTS,
        "overdue_count": sum(1 for row in rows if row.overdue),
    }
    return render(request, "workflow/review_queue.html", context)
