from django.http import JsonResponse
from django.urls import path, re_path

from api.views import api


def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404 rather than the site's HTML page."""
    response = JsonResponse({"detail": "Nothing here has this address; see /api/v1/docs.", "errors": []}, status=404)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
