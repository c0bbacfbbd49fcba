"""Health check and the plain error pages, none of which needs the database."""

import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from publishing.safe_cache import probe

RETRY_AFTER_SECONDS = 30


def _check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure to answer means "down"; say which
        return f"down: {type(error).__name__}"
    return "ok"


@never_cache
def healthz(request):
    """200 when the database and the cache both answer, else 503 naming what is down."""
    checks = {"database": _check_database(), "cache": probe()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)


def service_unavailable(request) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a database outage seen outside a view (e.g. in middleware) still answers 503."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=500)
