"""States and medical review: scheduled publishing with no job, the log, 410 Gone, the review queue."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_article, make_published_drug, make_role_user, make_user, sign_off
from workflow.models import Transition, TransitionKind
from workflow.roles import MEDICAL_REVIEWER, PUBLISHER
from workflow.selectors import review_queue
from workflow.services import add_months, content_mark_reviewed, content_transition

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def publisher(db):
    return make_role_user(PUBLISHER)


@pytest.fixture
def reviewer(db):
    return make_role_user(MEDICAL_REVIEWER, credentials="PharmD", first_name="Rita", last_name="Reviewer")


def test_an_article_scheduled_an_hour_ahead_appears_when_its_time_comes(client, publisher):
    with time_machine.travel(NOON, tick=False) as clock:
        article = make_article(status=Status.IN_REVIEW)
        sign_off(article)
        content_transition(obj=article, to_status=Status.PUBLISHED, by=publisher, publish_at=NOON + timedelta(hours=1))
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title not in client.get("/").content.decode()
        clock.shift(timedelta(minutes=59))
        assert client.get(article.get_absolute_url()).status_code == 404
        clock.shift(timedelta(minutes=1))
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.title in client.get("/").content.decode()
    move = Transition.objects.get(object_id=article.pk, content_type__model="article")
    assert move.publish_at == NOON + timedelta(hours=1)


def test_every_move_is_logged_with_who_when_and_why(publisher):
    article = make_article(status=Status.DRAFT)
    content_transition(obj=article, to_status=Status.IN_REVIEW, by=publisher, comment="Ready")
    with pytest.raises(ValidationError, match="must sign this page off"):
        content_transition(obj=article, to_status=Status.PUBLISHED, by=publisher)
    sign_off(article)
    content_transition(obj=article, to_status=Status.PUBLISHED, by=publisher)
    rows = list(Transition.objects.filter(object_id=article.pk).order_by("pk"))
    assert [(r.from_status, r.to_status, r.by, r.comment) for r in rows] == [
        (Status.DRAFT, Status.IN_REVIEW, publisher, "Ready"),
        (Status.IN_REVIEW, Status.PUBLISHED, publisher, ""),
    ]
    assert all(r.at is not None for r in rows)


def test_unpublished_once_public_content_answers_410(client, publisher):
    article = make_article()
    drug = make_published_drug()
    content_transition(obj=article, to_status=Status.UNPUBLISHED, by=publisher)
    content_transition(obj=drug, to_status=Status.UNPUBLISHED, by=publisher)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "removed" in response.content.decode()
    assert client.get(drug.get_absolute_url()).status_code == 410


def test_unpublishing_before_the_publish_time_leaves_a_plain_404(client, publisher):
    article = make_article(published_at=timezone.now() + timedelta(days=1))
    content_transition(obj=article, to_status=Status.UNPUBLISHED, by=publisher)
    article.refresh_from_db()
    assert article.published_at is None
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_draft_that_was_never_public_answers_404(client):
    assert client.get(make_article(status=Status.DRAFT).get_absolute_url()).status_code == 404


def test_staff_can_still_preview_unpublished_content(editor_client, publisher):
    article = make_article()
    content_transition(obj=article, to_status=Status.UNPUBLISHED, by=publisher)
    assert editor_client.get(article.get_absolute_url()).status_code == 200


def test_review_sets_dates_from_the_interval_and_shows_on_the_page(client, reviewer, settings):
    settings.MEDICAL_REVIEW_INTERVAL_MONTHS = 36
    article = make_article()
    drug = make_published_drug()
    for page in (article, drug):
        content_mark_reviewed(obj=page, by=reviewer, on=datetime.date(2026, 2, 10), references_checked=True)
        page.refresh_from_db()
        assert page.next_review_due == datetime.date(2029, 2, 10)
        html = client.get(page.get_absolute_url()).content.decode()
        assert "Medically reviewed by Rita Reviewer, PharmD on" in html
        assert "Page last reviewed:" in html and "10 February 2026" in html
        assert "Next review due:" in html and "10 February 2029" in html
    log = Transition.objects.get(object_id=article.pk, content_type__model="article", kind=TransitionKind.REVIEW)
    assert log.by == reviewer


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_review_queue_lists_overdue_and_due_soon_content_only(client, publisher):
    today = timezone.localdate()
    reviewer = make_user()
    overdue = make_article(title="Overdue", reviewed_by=reviewer, last_reviewed=today - timedelta(days=1200),
                           next_review_due=today - timedelta(days=5))  # fmt: skip
    soon = make_published_drug(reviewed_by=reviewer, last_reviewed=today - timedelta(days=1000),
                               next_review_due=today + timedelta(days=20))  # fmt: skip
    make_article(title="Later", reviewed_by=reviewer, last_reviewed=today, next_review_due=today + timedelta(days=400))
    never = make_article(title="Never reviewed")
    rows = review_queue(today)
    assert [row.title for row in rows] == ["Never reviewed", overdue.title, soon.generic_name]
    assert [row.overdue for row in rows] == [True, True, False]
    client.force_login(publisher)
    response = client.get(reverse("review-queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overdue:" in html and never.title in html and "Later" not in html
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Overdue since" in changelist


def test_review_queue_is_for_editors_only(client):
    client.force_login(make_user(is_staff=True))
    assert client.get(reverse("review-queue")).status_code == 403
    client.logout()
    assert client.get(reverse("review-queue")).status_code == 302


def test_demo_has_an_account_per_role_and_reviewed_articles_never_by_their_author():
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from articles.models import Article

    out = StringIO()
    call_command("load_demo", stdout=out)
    for username, role in [("author", "Author"), ("reviewer", "Medical reviewer"), ("publisher", "Publisher")]:
        user = get_user_model().objects.get(username=username)
        assert user.groups.filter(name=role).exists() and f"username {username!r}" in out.getvalue()
    articles = Article.objects.all()
    assert all(a.reviewed_by.username == "reviewer" and a.reviewed_by_id != a.author_id for a in articles)
    assert all(a.next_review_due > a.last_reviewed for a in articles)
