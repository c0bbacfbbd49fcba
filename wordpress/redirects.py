"""301s from the old WordPress addresses to where the content lives now, in one hop.

``OldAddressMiddleware`` costs nothing on the ordinary path: it reads the
database only when a request names an item by WordPress's query keys
(``?p=123``, ``?page_id=7``, ``?attachment_id=9``, ``?cat=3``, ``?tag=imuran``:
these reach any path, often the home page, which never answers 404), or when
the site found nothing at the path (a 404, or the slash-appending redirect
Django's ``CommonMiddleware`` gives a path that matched nothing). The page
cache, the first middleware, never stores either answer (it keeps 200s).

The target's address is worked out now, from the object itself, so the
redirect is one hop to its current address; content readers cannot see
(a draft, a scheduled or withdrawn page) gets no redirect, and the request
goes on to its ordinary answer.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from images.embed import plain_rendition
from images.models import Image
from wordpress.models import OldAddress

QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag")


def candidates(path: str) -> list[str]:
    """The stored forms a request path may match: as given, and with or without its trailing slash."""
    found = [path]
    if path.endswith("/") and len(path) > 1:
        found.append(path.rstrip("/"))
    elif "." not in path.rsplit("/", 1)[-1]:
        found.append(path + "/")
    return found


def current_address(old: OldAddress) -> str | None:
    """Where ``old`` leads now, or None when its target is gone or not public."""
    if old.image_id is not None:
        image = Image.objects.with_renditions().filter(pk=old.image_id).first()
        return plain_rendition(image).url if image is not None else None
    model = ContentType.objects.get_for_id(old.content_type_id).model_class()
    if model is None:
        return None
    queryset = model._default_manager.all()
    if hasattr(queryset, "published"):
        queryset = queryset.published()
    target = queryset.filter(pk=old.object_id).first()
    if target is None:
        return None
    if hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    return reverse("articles:tag", kwargs={"slug": target.slug})  # taggit's Tag has no address of its own


def redirect_for(addresses: list[str], *, request_path: str) -> HttpResponsePermanentRedirect | None:
    for old in OldAddress.objects.filter(address__in=addresses).order_by("address"):
        target = current_address(old)
        if target and target != request_path:
            return HttpResponsePermanentRedirect(target)
    return None


class OldAddressMiddleware:
    """Place after the page cache and before ``CommonMiddleware`` (it looks at what that one answers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.GET:
            keys = [f"?{key}={request.GET[key]}" for key in QUERY_KEYS if request.GET.get(key)]
            if keys:
                answer = redirect_for(keys, request_path=request.path)
                if answer is not None:
                    return answer
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and self.found_nothing(request, response):
            answer = redirect_for(candidates(request.path), request_path=request.path)
            if answer is not None:
                return answer
        return response

    @staticmethod
    def found_nothing(request, response) -> bool:
        if response.status_code == 404:
            return True
        # CommonMiddleware answers a path without its slash that matched nothing with a redirect to the path
        # with one; /wp-content/uploads/pill.jpg would become /wp-content/uploads/pill.jpg/ and then a 404.
        return (
            response.status_code == 301
            and not request.path.endswith("/")
            and response.get("Location") == request.get_full_path(force_append_slash=True)
        )
