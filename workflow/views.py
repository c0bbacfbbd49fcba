"""Answers for addresses readers cannot reach any more, and the editors' review queue."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from workflow.models import SlugRedirect
from workflow.selectors import review_queue


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


def review_queue_view(request):
    """Articles and drug pages whose medical review is overdue or due within 30 days (admin only)."""
    from django.contrib import admin

    if not (request.user.has_perm("articles.view_article") or request.user.has_perm("drugs.view_drug")):
        raise PermissionDenied
    rows = review_queue()
    context = {
        **admin.site.each_context(request),
        "title": "Medical review queue",
        "rows": rows,
        "overdue_count": sum(1 for row in rows if row.overdue),
    }
    return render(request, "workflow/review_queue.html", context)
