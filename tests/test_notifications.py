"""Workflow e-mails: reviewers hear of submissions, authors of send-backs, author and reviewer of publication."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status
from tests.admin_helpers import post_action
from tests.factories import make_article, make_drug, make_role_user, make_user, sign_off
from workflow.roles import AUTHOR, MEDICAL_REVIEWER, PUBLISHER
from workflow.services import content_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return make_role_user(AUTHOR, email="ada@example.org", first_name="Ada", last_name="Author")


@pytest.fixture
def reviewer(db):
    return make_role_user(MEDICAL_REVIEWER, credentials="PharmD", email="rita@example.org", first_name="Rita")


@pytest.fixture
def publisher(db):
    return make_role_user(PUBLISHER, email="pat@example.org", first_name="Pat", last_name="Publisher")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit work the block queued, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sent_to(mailoutbox) -> dict:
    return {message.to[0]: message for message in mailoutbox}


def test_a_submission_is_mailed_to_every_reviewer_but_never_the_submitter(author, reviewer, mailoutbox, committed):
    other = make_role_user(MEDICAL_REVIEWER, email="otto@example.org")
    reviewing_author = make_role_user(MEDICAL_REVIEWER, email="self@example.org")
    make_user(is_staff=True, is_superuser=True, email="root@example.org")
    make_role_user(MEDICAL_REVIEWER, email="gone@example.org", is_active=False)
    article = make_article(title="Azathioprine and pregnancy", status=Status.DRAFT, author=author)
    own = make_article(status=Status.DRAFT, author=reviewing_author)
    with committed():
        content_transition(obj=article, to_status=Status.IN_REVIEW, by=author, comment="Ready for a look")
    assert sorted(sent_to(mailoutbox)) == sorted([reviewer.email, other.email, reviewing_author.email])
    message = mailoutbox[0]
    assert message.subject == "For review: Azathioprine and pregnancy"
    assert "Ada Author submitted the article “Azathioprine and pregnancy” for medical review." in message.body
    assert "Ready for a look" in message.body
    assert "http://testserver.example" + reverse("admin:articles_article_change", args=[article.pk]) in message.body
    mailoutbox.clear()
    with committed():
        content_transition(obj=own, to_status=Status.IN_REVIEW, by=reviewing_author)
    assert sorted(sent_to(mailoutbox)) == sorted([reviewer.email, other.email])


def test_a_drug_submission_goes_to_drug_reviewers(author, reviewer, mailoutbox, committed):
    articles_only = make_user(is_staff=True, email="articles-only@example.org")
    articles_only.user_permissions.add(Permission.objects.get(codename="review_article"))
    drug = make_drug(generic_name="azathioprine", author=author)
    with committed():
        content_transition(obj=drug, to_status=Status.IN_REVIEW, by=author)
    assert list(sent_to(mailoutbox)) == [reviewer.email]
    assert "the drug “azathioprine”" in mailoutbox[0].body


def test_sending_back_mails_the_author_with_the_note(author, reviewer, mailoutbox, committed):
    article = make_article(title="Dosing", status=Status.IN_REVIEW, author=author)
    with committed():
        content_transition(obj=article, to_status=Status.DRAFT, by=reviewer, comment="Cite the weekly dose")
    (message,) = mailoutbox
    assert message.to == [author.email]
    assert message.subject == "Sent back: Dosing"
    assert "Cite the weekly dose" in message.body


def test_publishing_mails_author_and_reviewer(author, reviewer, publisher, mailoutbox, committed):
    article = make_article(title="Live now", status=Status.IN_REVIEW, author=author)
    sign_off(article, reviewer)
    with committed():
        content_transition(obj=article, to_status=Status.PUBLISHED, by=publisher)
    assert sorted(sent_to(mailoutbox)) == sorted([author.email, reviewer.email])
    assert mailoutbox[0].subject == "Published: Live now"
    assert "Pat Publisher published the article “Live now”." in mailoutbox[0].body


def test_whoever_makes_the_move_is_not_told_of_it(reviewer, publisher, mailoutbox, committed):
    article = make_article(status=Status.IN_REVIEW, author=publisher)
    sign_off(article, reviewer)
    with committed():
        content_transition(obj=article, to_status=Status.PUBLISHED, by=publisher)
    assert list(sent_to(mailoutbox)) == [reviewer.email]


def test_scheduling_says_when_it_goes_live(author, reviewer, publisher, mailoutbox, committed):
    article = make_article(title="Later", status=Status.IN_REVIEW, author=author)
    sign_off(article, reviewer)
    when = timezone.now().replace(microsecond=0) + timedelta(days=3)
    with committed():
        content_transition(obj=article, to_status=Status.PUBLISHED, by=publisher, publish_at=when)
    assert mailoutbox[0].subject == "Scheduled: Later"
    assert f"to be published on {when:%-d %B %Y, %H:%M}" in mailoutbox[0].body


def test_bulk_submission_in_the_admin_mails_reviewers(client, author, reviewer, mailoutbox, committed):
    article = make_article(status=Status.DRAFT, author=author)
    client.force_login(author)
    with committed():
        post_action(client, "submit_for_review", [article])
    assert list(sent_to(mailoutbox)) == [reviewer.email]


def test_a_move_that_is_rolled_back_sends_nothing(author, reviewer, mailoutbox, committed):
    article = make_article(status=Status.DRAFT, author=author)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        content_transition(obj=article, to_status=Status.IN_REVIEW, by=author)
        raise RuntimeError("something later in the same request failed")
    assert mailoutbox == []


def test_a_failing_mail_server_is_logged_and_the_move_stands(
    author, reviewer, mailoutbox, committed, caplog, monkeypatch
):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    article = make_article(status=Status.DRAFT, author=author)
    with caplog.at_level(logging.ERROR, logger="workflow.notifications"), committed():
        content_transition(obj=article, to_status=Status.IN_REVIEW, by=author)
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert "Could not send the e-mails for workflow move" in caplog.text


def test_users_without_an_address_are_skipped(author, mailoutbox, committed):
    make_role_user(MEDICAL_REVIEWER, email="")
    article = make_article(status=Status.DRAFT, author=author)
    with committed():
        content_transition(obj=article, to_status=Status.IN_REVIEW, by=author)
    assert mailoutbox == []
