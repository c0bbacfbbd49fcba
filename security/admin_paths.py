"""Whether a request is for the admin, asked by middleware on every request."""

from functools import cache

from django.urls import get_script_prefix, reverse


def is_admin_path(path: str) -> bool:
    """``path`` is the admin's or below it (``reverse("admin:index")``, looked up once per script prefix: a
    reverse() on every request was an eighth of the middleware's time on a page as cheap as robots.txt)."""
    return path.startswith(_admin_root(get_script_prefix()))


@cache
def _admin_root(script_prefix: str) -> str:
    return reverse("admin:index")
