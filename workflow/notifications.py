"""E-mail the people a workflow move concerns.

Submitted for review: the users who may review it. Sent back (in review to
draft): its author. Published, now or at a set time: its author and its
medical reviewer. Whoever made the move is never told of it.

A receiver on the ``Transition`` log rather than calls in the services,
because every move (workflow buttons, bulk actions, the status field, a
service called from a script) writes exactly one such row. Mail goes out
after the commit, so a move that is rolled back sends nothing, and a mail
failure is logged without undoing or interrupting the move.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, timezone

from publishing.models import Status
from workflow.models import Transition, TransitionKind

logger = logging.getLogger(__name__)

# Roles are groups and user permissions; a superuser is an administrator, not a reviewer on call.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Notice:
    subject: str
    opening: str
    recipients: list


NOTIFIED_KINDS = {
    TransitionKind.STATE,
    TransitionKind.CHANGES_SUBMITTED,
    TransitionKind.CHANGES_PUBLISHED,
    TransitionKind.EDITORIAL_PUBLISHED,
}


@receiver(post_save, sender=Transition, dispatch_uid="workflow-notify-on-transition")
def notify_on_transition(sender, instance: Transition, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.kind in NOTIFIED_KINDS:
        transaction.on_commit(lambda: send_transition_mail(instance.pk))


def send_transition_mail(transition_id: int) -> None:
    """Send the e-mails for one move. Whatever goes wrong is logged: the move has already happened."""
    try:
        move = Transition.objects.select_related("by", "content_type").get(pk=transition_id)
        messages = transition_messages(move)
        if messages:
            with get_connection() as connection:
                connection.send_messages(messages)
    except Exception:
        logger.exception("Could not send the e-mails for workflow move %s.", transition_id)


def transition_messages(move: Transition) -> list[EmailMessage]:
    """One plain-text e-mail per person the move concerns (addresses are not shown to each other)."""
    obj = move.content_object
    notice = obj and _notice(move, obj)
    if not notice:
        return []
    body = _body(move, obj, notice.opening)
    addresses = {user.email for user in notice.recipients if _reachable(user, move)}
    return [EmailMessage(notice.subject, body, to=[address]) for address in sorted(addresses)]


def _notice(move: Transition, obj) -> Notice | None:
    title, kind = _title(obj), obj._meta.verbose_name
    mover = _name(move.by)
    if move.kind == TransitionKind.CHANGES_SUBMITTED:
        opening = f"{mover} submitted changes to the published {kind} “{title}” for medical review."
        return Notice(f"Changes for review: {title}", opening, list(reviewers_of(obj)))
    if move.kind in (TransitionKind.CHANGES_PUBLISHED, TransitionKind.EDITORIAL_PUBLISHED):
        opening = f"{mover} published the changes to the {kind} “{title}”: readers see them now."
        return Notice(f"Changes published: {title}", opening, [obj.author, obj.reviewed_by])
    if move.to_status == Status.IN_REVIEW and move.from_status != Status.IN_REVIEW:
        opening = f"{mover} submitted the {kind} “{title}” for medical review."
        return Notice(f"For review: {title}", opening, list(reviewers_of(obj)))
    if move.from_status == Status.IN_REVIEW and move.to_status == Status.DRAFT:
        opening = f"{mover} sent your {kind} “{title}” back to draft."
        return Notice(f"Sent back: {title}", opening, [obj.author])
    if move.to_status == Status.PUBLISHED and move.from_status != Status.PUBLISHED:
        return _published_notice(move, obj, f"{kind} “{title}”", mover)
    return None


def _published_notice(move: Transition, obj, what: str, mover: str) -> Notice:
    people = [obj.author, obj.reviewed_by]
    when = move.publish_at
    if when and when > move.at:
        shown = formats.date_format(timezone.localtime(when), "j F Y, H:i T")
        return Notice(f"Scheduled: {_title(obj)}", f"{mover} scheduled the {what} to be published on {shown}.", people)
    return Notice(f"Published: {_title(obj)}", f"{mover} published the {what}.", people)


def reviewers_of(obj):
    """Active users whose role lets them review ``obj``, except its author."""
    opts = obj._meta
    return (
        get_user_model()
        .objects.with_perm(
            f"{opts.app_label}.review_{opts.model_name}",
            is_active=True,
            include_superusers=False,
            backend=PERMISSION_BACKEND,
        )
        .exclude(pk=obj.author_id)
    )


def _reachable(user, move: Transition) -> bool:
    return user is not None and user.is_active and bool(user.email) and user.pk != move.by_id


def _body(move: Transition, obj, opening: str) -> str:
    opts = obj._meta
    link = settings.SITE_URL + reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    note = f"Their note: {move.comment}\n\n" if move.comment else ""
    return f"{opening}\n\n{note}Open it in the admin:\n{link}\n\n-- \n{settings.SITE_NAME} editorial workflow\n"


def _title(obj) -> str:
    # One line: a line break in a subject would make Django refuse the whole e-mail.
    return " ".join(str(getattr(obj, obj.title_field)).split())


def _name(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()
