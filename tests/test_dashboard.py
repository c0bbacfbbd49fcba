"""The editors' dashboard on the admin home: each role's panels, their counts and links, and a fixed query budget."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status
from publishing.registry import publishable_models
from tests.factories import make_article, make_drug, make_role_user, make_user, sign_off
from workflow import dashboard
from workflow.dashboard import dashboard_panels
from workflow.roles import AUTHOR, MEDICAL_REVIEWER, PUBLISHER
from workflow.services import content_transition

pytestmark = pytest.mark.django_db

ADMIN_HOME = reverse("admin:index")
# Session and user, the admin's recent actions; per publishable type a count and a row query for each of the five
# panels, and one "sent back?" query for my drafts.
QUERY_BUDGET = 3 + 11 * len(publishable_models())


@pytest.fixture
def author(db):
    return make_role_user(AUTHOR, first_name="Ada", last_name="Author")


@pytest.fixture
def reviewer(db):
    return make_role_user(MEDICAL_REVIEWER, credentials="PharmD", first_name="Rita", last_name="Reviewer")


@pytest.fixture
def publisher(db):
    return make_role_user(PUBLISHER, first_name="Pat", last_name="Publisher")


def panel(user, slug):
    return next(each for each in dashboard_panels(user) if each.slug == slug)


def titles(user, slug) -> list[str]:
    return [row.title for row in panel(user, slug).rows]


def test_my_drafts_lists_my_drafts_of_every_type_and_marks_those_sent_back(author, reviewer):
    mine = make_article(title="My draft", status=Status.DRAFT, author=author)
    drug = make_drug(generic_name="mydrugine", author=author)
    sent = make_article(title="Sent back to me", status=Status.DRAFT, author=author)
    content_transition(obj=sent, to_status=Status.IN_REVIEW, by=author)
    content_transition(obj=sent, to_status=Status.DRAFT, by=reviewer, comment="Cite the dose")
    make_article(title="Someone else's draft", status=Status.DRAFT)
    make_article(title="My published page", author=author)
    drafts = panel(author, "my-drafts")
    assert sorted(row.title for row in drafts.rows) == sorted([mine.title, drug.generic_name, sent.title])
    assert drafts.count == 3
    returned = next(row for row in drafts.rows if row.title == sent.title)
    assert (returned.state, returned.who) == ("Sent back", "Rita Reviewer")
    assert next(row for row in drafts.rows if row.title == mine.title).state == "Draft"


def test_reviewers_wait_for_pages_in_review_never_their_own(reviewer):
    theirs = make_article(title="Submitted by someone", status=Status.IN_REVIEW)
    drug = make_drug(generic_name="reviewdrugine", status=Status.IN_REVIEW)
    make_article(title="Written by the reviewer", status=Status.IN_REVIEW, author=reviewer)
    make_article(title="Still a draft", status=Status.DRAFT)
    assert sorted(titles(reviewer, "waiting")) == sorted([theirs.title, drug.generic_name])
    assert panel(reviewer, "waiting").count == 2


def test_publishers_wait_for_signed_off_pages_only(publisher):
    ready = make_article(title="Signed off", status=Status.IN_REVIEW)
    sign_off(ready)
    make_article(title="Not yet reviewed", status=Status.IN_REVIEW)
    assert titles(publisher, "waiting") == [ready.title]


def test_authors_have_no_review_panel(author):
    assert "waiting" not in [each.slug for each in dashboard_panels(author)]


def test_the_pending_changes_hook_adds_its_rows_to_waiting_for_review(reviewer, monkeypatch):
    extra = dashboard.DashboardRow("Live page, changed", "Article", "Changes waiting", "Ada", None, "/admin/x/")
    monkeypatch.setattr(dashboard, "pending_changes_waiting_for", lambda user: [extra])
    waiting = panel(reviewer, "waiting")
    assert waiting.rows == [extra]
    assert waiting.count == 1


def test_scheduled_lists_the_soonest_publications_first_with_their_time(author):
    now = timezone.now()
    later = [make_article(published_at=now + timedelta(days=2 + i)) for i in range(dashboard.PANEL_ROWS)]
    sooner = make_article(title="In an hour", published_at=now + timedelta(hours=1))
    make_article(title="Already live", published_at=now - timedelta(hours=1))
    scheduled = panel(author, "scheduled")
    assert [row.title for row in scheduled.rows] == [sooner.title] + [each.title for each in later[:-1]]
    assert scheduled.rows[0].state == "Scheduled"
    assert scheduled.rows[0].when == sooner.published_at
    assert scheduled.count == dashboard.PANEL_ROWS + 1


def test_review_due_lists_overdue_soon_and_never_reviewed_pages(author):
    today = timezone.localdate()
    never = make_article(title="Never reviewed")
    overdue = make_article(title="Overdue", next_review_due=today - timedelta(days=3))
    soon = make_article(title="Due soon", next_review_due=today + timedelta(days=10))
    make_article(title="Due next year", next_review_due=today + timedelta(days=365))
    due = panel(author, "review-due")
    assert [row.title for row in due.rows] == [never.title, overdue.title, soon.title]
    assert due.all_url == reverse("review-queue")


def test_recently_published_lists_the_last_week_newest_first(author):
    now = timezone.now()
    old = make_article(title="Last month", published_at=now - timedelta(days=30))
    yesterday = make_article(title="Yesterday", published_at=now - timedelta(days=1))
    today = make_article(title="Today", published_at=now - timedelta(minutes=5))
    rows = titles(author, "recent")
    assert rows == [today.title, yesterday.title]
    assert old.title not in rows


def test_panels_show_ten_rows_over_all_types_and_count_them_all(author):
    for _ in range(8):
        make_article(status=Status.DRAFT, author=author)
        make_drug(status=Status.DRAFT, author=author)
    drafts = panel(author, "my-drafts")
    assert len(drafts.rows) == dashboard.PANEL_ROWS
    assert drafts.count == 16
    assert [(link.label, link.count) for link in drafts.links] == [("Articles", 8), ("Drugs", 8)]


def test_counts_stop_at_the_cap_and_say_so(author, monkeypatch):
    monkeypatch.setattr(dashboard, "COUNT_CAP", 3)
    for _ in range(5):
        make_article(status=Status.DRAFT, author=author)
    with CaptureQueriesContext(connection) as queries:
        drafts = panel(author, "my-drafts")
    assert (drafts.count, drafts.capped) == (3, True)
    counts = [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert counts and all("LIMIT 4" in sql for sql in counts)  # the database stops reading after the cap


def test_each_count_links_to_its_filtered_admin_list(client, author):
    now = timezone.now()
    make_article(title="Scheduled one", published_at=now + timedelta(days=1))
    make_article(title="Live one", published_at=now - timedelta(days=1))
    make_article(title="My own draft", status=Status.DRAFT, author=author)
    client.force_login(author)
    for slug, expected, unexpected in [
        ("scheduled", "Scheduled one", "Live one"),
        ("recent", "Live one", "Scheduled one"),
        ("my-drafts", "My own draft", "Live one"),
    ]:
        (link,) = panel(author, slug).links
        listing = client.get(link.url)
        assert listing.status_code == 200  # an unknown filter would redirect to ?e=1
        page = listing.content.decode()
        assert expected in page and unexpected not in page, slug


def test_the_admin_home_shows_the_panels(client, reviewer):
    make_article(title="Please review me", status=Status.IN_REVIEW)
    client.force_login(reviewer)
    page = client.get(ADMIN_HOME).content.decode()
    assert 'id="panel-waiting"' in page
    assert "Please review me" in page
    assert 'id="panel-my-drafts"' not in page  # reviewers write nothing
    assert reverse("review-queue") in page


def test_users_without_content_permissions_see_no_dashboard(client):
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert dashboard_panels(staff) == []
    assert 'id="editorial-dashboard"' not in client.get(ADMIN_HOME).content.decode()


def _fill_site(size, author):
    now = timezone.now()
    for i in range(size):
        make_article(status=Status.DRAFT, author=author)
        make_article(status=Status.IN_REVIEW, author=author)
        sign_off(make_article(status=Status.IN_REVIEW, author=author))
        make_article(published_at=now + timedelta(days=i + 1), author=author)
        make_article(published_at=now - timedelta(hours=i + 1), next_review_due=timezone.localdate())
        make_drug(author=author, status=Status.DRAFT)
        make_drug(status=Status.IN_REVIEW)


@pytest.mark.parametrize("size", [2, 6])
def test_the_admin_home_query_budget_does_not_grow_with_content(client, size, django_assert_max_num_queries):
    """A superuser sees every panel of every type; each panel and type costs a count and a row query."""
    superuser = make_user(is_staff=True, is_superuser=True)
    _fill_site(size, superuser)
    client.force_login(superuser)
    client.get(ADMIN_HOME)  # content types cached, as in a running server
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(ADMIN_HOME)
    page = response.content.decode()
    assert all(f'id="panel-{slug}"' in page for slug in ["my-drafts", "waiting", "scheduled", "review-due", "recent"])
