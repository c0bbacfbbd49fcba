"""The API object and what every response shares: JSON errors, cache headers, page-cache dependencies.

Responses go through the site's page cache (``ops.page_cache``) like pages:
a view records what it showed with ``record_shown`` and the response carries
those dependency keys, so an edit expires exactly the API responses that
showed the edited row, as it does for pages.
"""

from collections.abc import Iterable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from api.errors import ApiError
from ops.dependencies import shown_dependencies
from ops.page_cache import TRACKING_PARAMETERS

# Characters that could let a browser read a JSON body as markup; "\u003c" parses back to "<".
HTML_SIGNIFICANT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class EscapingJSONRenderer(JSONRenderer):
    """JSON with ``<``, ``>`` and ``&`` written as escapes: the same data, and never markup, even echoed input."""

    def render(self, request, data, *, response_status):
        return super().render(request, data, response_status=response_status).translate(HTML_SIGNIFICANT)


class ReadApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if response.status_code == 200:
            shared = settings.PAGE_CACHE_SHARED_SECONDS
            patch_cache_control(response, public=True, max_age=0, s_maxage=shared, stale_while_revalidate=shared)
            dependencies = getattr(request, "api_dependencies", None)
            if dependencies is not None:
                response.page_dependencies = dependencies  # read by ops.page_cache when it stores the response
            # When the answer was made, as the page cache stamps it: an edit to anything it shows (a tag's
            # name) need not change the article's own time, so that time could wrongly answer 304. Without the
            # page cache nothing keeps that moment, so only the ETag (of the content) says "unchanged".
            if settings.PAGE_CACHE_SECONDS:
                response["Last-Modified"] = http_date()
        else:
            patch_cache_control(response, no_store=True)
        return response


api = ReadApi(
    title="medsite read API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Published articles, categories, tags and drug monographs, the interaction check and search. "
        "Read only; drafts, content in review and scheduled content never appear. Lists are paged with an opaque "
        "`cursor` (the previous page's `next_cursor`). Errors are JSON: `detail` says what was wrong."
    ),
    renderer=EscapingJSONRenderer(),
    # Served from ninja's bundled static files; the validator badge would fetch from another site.
    docs=Swagger(settings={"validatorUrl": None}),
)


def error_response(request: HttpRequest, status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ApiError)
def _api_error(request, error: ApiError):
    return error_response(request, error.status, error.message, error.errors)


@api.exception_handler(ValidationError)
def _invalid_parameters(request, error: ValidationError):
    """400 naming each bad parameter (ninja says 422 and repeats the input); 404 when only the path was bad."""
    errors = [
        {"field": str(problem["loc"][-1]) if problem.get("loc") else "", "message": problem.get("msg", "invalid")}
        for problem in error.errors
    ]
    if error.errors and all(problem.get("loc", ("",))[0] == "path" for problem in error.errors):
        return error_response(request, 404, "Nothing here has this address.", errors)
    fields = ", ".join(sorted({entry["field"] for entry in errors}))
    return error_response(request, 400, f"Check these parameters: {fields}.", errors)


@api.exception_handler(Http404)
def _not_found(request, error):
    return error_response(request, 404, str(error) or "Not found.")


def check_parameters(request: HttpRequest, allowed: Iterable[str] = ()) -> None:
    """Refuse parameters the endpoint does not know, and any given twice (400).

    Tracking parameters (``utm_*``...) are let through: the page cache leaves
    them out of its key, so refusing them would answer differently on a hit.
    """
    allowed = set(allowed)
    unknown = sorted(name for name in request.GET if name not in allowed and not name.startswith(TRACKING_PARAMETERS))
    if unknown:
        shown = [name if name.isidentifier() and len(name) <= 40 else "(unreadable name)" for name in unknown]
        takes = ", ".join(sorted(allowed)) or "none"
        raise ApiError(
            400,
            f"Unknown parameters: {', '.join(shown[:10])}. This endpoint takes: {takes}.",
            errors=[{"field": name, "message": "unknown parameter"} for name in shown[:10]],
        )
    repeated = sorted(name for name in allowed if len(request.GET.getlist(name)) > 1)
    if repeated:
        raise ApiError(400, f"Give each parameter once: {', '.join(repeated)}.")


def record_shown(request: HttpRequest, shown, *, lists: set[str]) -> None:
    """What the response shows (model instances), and which lists, for the page cache's invalidation."""
    request.api_dependencies = shown_dependencies(shown, lists=lists)
