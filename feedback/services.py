from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from feedback.models import Feedback
from feedback.tokens import BadToken, page_of, voter_hash


class Refused(Exception):
    """An answer not kept, with the sentence the reader is shown."""


def feedback_record(*, token: str, helpful: bool, comment: str, address: str) -> Feedback:
    """Keep one reader's answer about the page ``token`` names; ``Refused`` says why not.

    Refused when the token is forged or expired, the page is not one readers
    can see, or this address already answered with this token.
    """
    try:
        model, pk = page_of(token)
    except BadToken as bad:
        raise Refused(str(bad)) from None
    page = model._default_manager.published().filter(pk=pk).first()
    if page is None:
        raise Refused("This page is not taking answers.")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                content_type=ContentType.objects.get_for_model(model),
                object_id=pk,
                helpful=helpful,
                comment=comment.strip(),
                voter=voter_hash(token, address),
            )
    except IntegrityError:
        raise Refused("You have already answered for this page. Thank you.") from None
