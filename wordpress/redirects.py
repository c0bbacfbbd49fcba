"""301s from the old WordPress addresses to where the content lives now, in one hop.

``OldAddressMiddleware`` costs nothing on the ordinary path: it reads the
database only when a request for the home page names an item by WordPress's
query keys (``/?p=123``, ``?page_id=7``, ``?attachment_id=9``, ``?cat=3``,
``?tag=imuran``; the home page never answers 404), or when the site found
nothing at the path (a 404, or the slash-appending redirect Django's
``CommonMiddleware`` gives a path that matched nothing) at a path whose first
segment some old address has (``known_prefixes``, kept in the cache): then
the path and any of those keys are looked up. The page cache, the first
middleware, never stores a redirect (it keeps 200s).

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
from publishing.safe_cache import safe_delete, safe_get, safe_set
from wordpress.models import OldAddress

QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag")
PREFIXES_KEY = "wordpress:old-address-prefixes"


def first_segment(address: str) -> str:
    """``2019`` for ``/2019/03/14/imuran/``, ``wp-content`` for an upload, ``?`` for a query key."""
    return "?" if address.startswith("?") else address.strip("/").split("/", 1)[0]


def known_prefixes() -> frozenset[str]:
    """The first path segments of every old address, from the cache (read from the table once after a change).

    A 404 whose first segment is not among them (``/articles/no-such-slug/``, a bot's guess) costs no query:
    the 404 path stays as cheap as it was before any import.
    """
    prefixes = safe_get(PREFIXES_KEY)
    if prefixes is None:
        addresses = OldAddress.objects.values_list("address", flat=True).order_by().iterator(chunk_size=5000)
        prefixes = frozenset(first_segment(address) for address in addresses)
        safe_set(PREFIXES_KEY, prefixes, None)
    return prefixes


def forget_prefixes() -> None:
    """Call after old addresses are written (the import does, as each batch commits)."""
    safe_delete(PREFIXES_KEY)


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
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        keys = [f"?{key}={request.GET[key]}" for key in QUERY_KEYS if request.GET.get(key)] if request.GET else []
        # On the home page the keys are looked up first (it would answer 200); elsewhere only when nothing else
        # answered, since our own pages may use the same names (the sitemap's ?p=2 is its page 2).
        if keys and request.path == "/" and "?" in known_prefixes():
            answer = redirect_for(keys, request_path=request.path)
            if answer is not None:
                return answer
        response = self.get_response(request)
        if self.found_nothing(request, response):
            prefixes = known_prefixes()
            addresses = [address for address in candidates(request.path) if first_segment(address) in prefixes]
            addresses += keys if "?" in prefixes else []
            answer = redirect_for(addresses, request_path=request.path) if addresses else None
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
