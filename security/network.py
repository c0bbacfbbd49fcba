"""The address a request came from, for the per-address login lockout."""

from django.conf import settings


def client_ip_address(request) -> str | None:
    """The client's address: the proxy's view of it when a trusted proxy stands in front, else the socket's.

    nginx appends the address it saw to ``X-Forwarded-For``; only that last entry is trustworthy, since a client can
    put anything in the entries before it. Without a trusted proxy the header is ignored, so it cannot be used to
    dodge the lockout.
    """
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last_hop = forwarded.rsplit(",", 1)[-1].strip()
        if last_hop:
            return last_hop
    return request.META.get("REMOTE_ADDR")
