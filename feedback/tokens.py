"""The signed token a feedback form carries: it names the page and when the page was rendered.

Pages with the form are cached and shared by every reader, so the token is
the same for all readers of one rendering; it stands in for a CSRF token (no
session, no account, nothing done on a signed-in user's behalf) and makes
answers replay-safe: an answer counts once per token and client address, and
a token older than ``FEEDBACK_TOKEN_MAX_AGE`` is refused.
"""

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from publishing.registry import is_publishable

SALT = "feedback.page-token"


class BadToken(Exception):
    pass


def page_token(page) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{page._meta.label_lower}/{page.pk}")


def page_of(token: str):
    """The model and primary key the token names; ``BadToken`` if forged, expired or naming no publishable model."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=settings.FEEDBACK_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise BadToken("This page is out of date: reload it and answer again.") from None
    except signing.BadSignature:
        raise BadToken("This answer did not come from one of our pages.") from None
    label, _, pk = value.partition("/")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise BadToken("This answer did not come from one of our pages.") from None
    if not is_publishable(model) or not pk.isdigit():
        raise BadToken("This answer did not come from one of our pages.")
    return model, int(pk)


def voter_hash(token: str, address: str) -> str:
    """A keyed hash of token and address: one answer each, with no address stored."""
    return salted_hmac("feedback.voter", f"{token}|{address}", algorithm="sha256").hexdigest()


def address_hash(address: str) -> str:
    """The rate limit's key for an address, so not even the cache holds it in the clear."""
    return salted_hmac("feedback.rate", address, algorithm="sha256").hexdigest()[:32]
