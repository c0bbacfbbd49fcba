import math
from datetime import datetime
from xml.sax.saxutils import escape as xml_escape

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from taggit.models import Tag

from articles.models import Article, CategoryTree, category_tree
from search.forms import SearchForm
from search.services import QueryError, search_site

# Ten results a page, as most site searches show (and the Wagtail peer in bench/ does): each carries an excerpt
# with the words marked, and readers rarely read past the first few.
PER_PAGE = 10
RESULTS = "search/results.html"  # Jinja2 (medsite/jinja.py): the page readers land on from every search box
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@require_GET
def search(request):
    """Ranked results for ``?q=`` with optional ``kind``, ``category`` and ``tag`` filters, ``page`` N."""
    tree = category_tree()
    form = SearchForm(request.GET, categories=tree.categories)
    context = {"form": form, "breadcrumbs": [("Search", None)], "outcome": None}
    if not form.is_valid():
        return render(request, RESULTS, context, status=400, using="jinja2")
    data = form.cleaned_data
    filters, tag = _filters(data, tree)
    if data["tag"] and tag is None:
        form.add_error("tag", "No tag has this address.")
        return render(request, RESULTS, context, status=400, using="jinja2")
    page = data["page"] or 1
    try:
        outcome = search_site(text=data["q"], page=page, per_page=PER_PAGE, **filters)
    except QueryError as error:
        form.add_error("q", str(error))
        return render(request, RESULTS, context, status=400, using="jinja2")
    num_pages = max(1, math.ceil(outcome.total / PER_PAGE))
    if page > num_pages:
        raise Http404("There is no such page of results.")
    by_id = tree.by_pk
    for hit in outcome.hits:
        hit.category = by_id.get(hit.category_id)
    context.update(
        outcome=outcome,
        query=data["q"],
        tag=tag,
        page_number=page,
        num_pages=num_pages,
        previous_url=_page_url(request, page - 1) if page > 1 else None,
        next_url=_page_url(request, page + 1) if page < num_pages else None,
        suggestion_url=_suggestion_url(request, outcome.suggestion),
        first_position=(page - 1) * PER_PAGE + 1,
    )
    return render(request, RESULTS, context, using="jinja2")


def _filters(data: dict, tree: CategoryTree) -> tuple[dict, Tag | None]:
    filters: dict = {"kind": data["kind"] or None}
    if data["category"]:  # one of the form's choices
        filters["category_ids"] = tuple(tree.subtree_ids(tree.by_slug[data["category"]]))
    tag = None
    if data["tag"]:
        tag = Tag.objects.filter(slug=data["tag"]).first()
        if tag is not None:
            filters["tag_id"] = tag.pk
            filters["tag_content_type_id"] = ContentType.objects.get_for_model(Article).pk
    return filters, tag


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    if page > 1:
        params["page"] = str(page)
    return f"{request.path}?{params.urlencode()}"


def _suggestion_url(request, suggestion) -> str | None:
    if suggestion is None:
        return None
    return f"{reverse('search:search')}?{urlencode({'q': suggestion.query})}"


@require_GET
def sitemap_section(request, section: str, sitemaps: dict):
    """One page (``?p=N``) of a sitemap section, written without the template engine.

    Django's own view renders each of up to 50,000 URLs through a template,
    which took half a minute a page on a 100,000-article site; the XML here
    is plain enough to write directly, every value escaped.
    """
    if section not in sitemaps:
        raise Http404("No such sitemap section.")
    sitemap = sitemaps[section]()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NAMESPACE}">']
    for url in urls:
        entry = f"<url><loc>{xml_escape(url['location'])}</loc>"
        if url.get("lastmod"):
            entry += f"<lastmod>{_w3c_date(url['lastmod'])}</lastmod>"
        if url.get("changefreq"):
            entry += f"<changefreq>{xml_escape(url['changefreq'])}</changefreq>"
        lines.append(entry + "</url>")
    lines.append("</urlset>\n")
    response = HttpResponse("\n".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


def _w3c_date(value) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


@require_GET
def robots_txt(request):
    """Crawlers may read everything but the admin, search results and the feedback form's endpoint."""
    sitemap = request.build_absolute_uri(reverse("search:sitemap"))
    disallowed = ["/admin/", "/search/", "/feedback/"]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
