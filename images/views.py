"""The rich-text editor's image chooser: the library searched by title, alt text, caption and credit."""

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from images.models import Image
from images.renditions import fallback_format

MAX_RESULTS = 24
MAX_QUERY_LENGTH = 100
MAX_IDS = 50


@require_GET
def image_chooser_view(request: HttpRequest) -> JsonResponse:
    """``?q=<words>``: up to 24 images, newest first; ``?id=12,13``: those images (the editor showing a body).

    Answers ``{"results": [{id, title, alt, decorative, thumbnail, width, height}]}``; two queries whatever
    the size of the library.
    """
    if not request.user.has_perm("images.view_image"):
        return JsonResponse({"error": "You may not use the image library."}, status=403)
    term = request.GET.get("q", "").strip()
    ids = request.GET.get("id", "").strip()
    if len(term) > MAX_QUERY_LENGTH or "\x00" in term:
        return JsonResponse({"error": f"Type at most {MAX_QUERY_LENGTH} characters."}, status=400)
    images = Image.objects.with_renditions()
    if ids:
        wanted = ids.split(",")
        if len(wanted) > MAX_IDS or not all(part.isdigit() and len(part) <= 12 for part in wanted):
            return JsonResponse({"error": f"Give up to {MAX_IDS} image numbers, separated by commas."}, status=400)
        images = images.filter(pk__in=[int(part) for part in wanted])
    elif term:
        images = images.filter(
            Q(title__icontains=term)
            | Q(alt_text__icontains=term)
            | Q(caption__icontains=term)
            | Q(credit__icontains=term)
        )
    return JsonResponse({"results": [as_result(image) for image in images[:MAX_RESULTS]]})


def as_result(image: Image) -> dict:
    thumbnails = sorted(
        (rendition for rendition in image.renditions.all() if rendition.format == fallback_format(image)),
        key=lambda rendition: rendition.width,
    )
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt,
        "decorative": image.decorative,
        "thumbnail": thumbnails[0].url if thumbnails else "",
        "width": image.width,
        "height": image.height,
    }
