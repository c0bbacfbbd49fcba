"""Edits to published pages wait for review: readers see the reviewed text until the changes are published."""

import pytest
from django.contrib import messages
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Reference
from drugs.models import SideEffect
from publishing.models import Status
from tests.admin_helpers import add_row, admin_url, form_data, messages_of
from tests.factories import make_article, make_published_drug, make_reviewer, make_role_user, make_side_effect, sign_off
from workflow.models import PendingChange, PendingState, Transition, TransitionKind
from workflow.pending import open_change
from workflow.roles import AUTHOR, PUBLISHER

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_role_user(AUTHOR, first_name="Ann", last_name="Author")


@pytest.fixture
def reviewer():
    return make_reviewer(first_name="Rita", last_name="Reviewer")


@pytest.fixture
def publisher():
    return make_role_user(PUBLISHER, first_name="Pat", last_name="Publisher")


@pytest.fixture
def live(author, reviewer):
    article = make_article(author=author, title="Imuran", body="<p>Reviewed text.</p>")
    sign_off(article, reviewer)
    return article


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_form(client, obj, **changes):
    url = admin_url(obj, "change")
    return client.post(url, {**form_data(client, url), **changes}, follow=True)


def press(client, obj, button, **changes):
    return post_form(client, obj, _workflow=button, **changes)


def reader_sees(obj, text) -> bool:
    return text in Client().get(obj.get_absolute_url()).content.decode()


def test_an_edit_to_a_reviewed_live_page_stays_invisible_to_readers(live, author, commit):
    from search.indexing import reindex_articles

    reindex_articles([live.pk])
    with commit():  # any work the save put off until its commit runs too
        response = post_form(as_user(author), live, body="<p>Unreviewed text.</p>")
    assert PendingChange.objects.filter(state=PendingState.DRAFT).count() == 1
    assert "Changes waiting for review" in response.content.decode()
    live.refresh_from_db()
    assert live.body == "<p>Reviewed text.</p>"
    assert reader_sees(live, "Reviewed text.") and not reader_sees(live, "Unreviewed text.")
    assert reader_sees(live, "Medically reviewed by Rita Reviewer")
    reader = Client()
    assert "Unreviewed" not in reader.get(f"/api/v1/articles/{live.slug}/").content.decode()
    assert "Reviewed text." in reader.get(f"/api/v1/articles/{live.slug}/").content.decode()
    assert "Imuran" not in reader.get("/search/", {"q": "Unreviewed"}).content.decode()
    assert "Imuran" in reader.get("/search/", {"q": "Reviewed"}).content.decode()
    assert "Unreviewed" not in reader.get("/feeds/latest/").content.decode()
    # The editor's form shows the pending text, not the live one.
    form = form_data(as_user(author), admin_url(live, "change"))
    assert form["body"] == "<p>Unreviewed text.</p>"


def test_changes_go_live_only_after_review_and_publishing(live, author, reviewer, publisher, commit):
    post_form(as_user(author), live, body="<p>Updated dose advice.</p>")
    press(as_user(author), live, "submit_changes")
    assert open_change(live).state == PendingState.IN_REVIEW

    refused = press(as_user(publisher), live, "publish_changes")
    assert "must sign them off" in refused.content.decode()
    assert not reader_sees(live, "Updated dose advice.")

    second_reviewer = make_reviewer(first_name="Sam", last_name="Second")
    press(as_user(second_reviewer), live, "review_changes", references_checked="on")
    with commit():
        done = press(as_user(publisher), live, "publish_changes")
    assert "readers see them now" in " ".join(messages_of(done))
    live.refresh_from_db()
    assert live.body == "<p>Updated dose advice.</p>" and live.status == Status.PUBLISHED
    assert (live.reviewed_by, live.last_reviewed) == (second_reviewer, timezone.localdate())
    assert reader_sees(live, "Updated dose advice.") and reader_sees(live, "Medically reviewed by Sam Second")
    assert open_change(live) is None
    kinds = list(Transition.objects.filter(object_id=live.pk).values_list("kind", flat=True))
    assert kinds[:3] == [
        TransitionKind.CHANGES_PUBLISHED,
        TransitionKind.CHANGES_REVIEWED,
        TransitionKind.CHANGES_SUBMITTED,
    ]


def test_whoever_wrote_the_changes_cannot_sign_them_off(live, publisher):
    reviewer_who_edits = make_reviewer()
    client = as_user(publisher)
    post_form(client, live, body="<p>Publisher's edit.</p>")
    press(client, live, "submit_changes")
    pending = open_change(live)
    pending.created_by = reviewer_who_edits
    pending.save()
    page = as_user(reviewer_who_edits).get(admin_url(live, "change")).content.decode()
    assert "You wrote this, so someone else must review it." in page
    assert 'value="review_changes"' not in page


def test_an_editorial_change_may_be_published_without_a_new_review(live, publisher, reviewer):
    client = as_user(publisher)
    post_form(client, live, tags="Azathioprine")
    pending = open_change(live)
    assert not pending.clinical and pending.changed_fields == ["tags"]
    press(client, live, "publish_changes")
    live.refresh_from_db()
    assert list(live.tags.names()) == ["Azathioprine"]
    assert live.reviewed_by == reviewer  # the reviewed clinical text did not change
    assert Transition.objects.filter(object_id=live.pk, kind=TransitionKind.EDITORIAL_PUBLISHED).exists()


def test_publishing_a_retag_at_once_leaves_what_keeping_and_publishing_it_would(live, publisher, reviewer, commit):
    """ "Publish changes" on an edit of tags alone, nothing waiting: live at once, with the same record and sign-off."""
    published_at, someone_else = live.published_at, make_reviewer()
    with commit():  # a sign-off is given by signing off, never by typing a name in the form
        done = press(as_user(publisher), live, "publish_changes", tags="Azathioprine", reviewed_by=someone_else.pk)
    assert "readers see them now" in " ".join(messages_of(done))
    live.refresh_from_db()
    assert list(live.tags.names()) == ["Azathioprine"]
    assert (live.status, live.published_at, live.reviewed_by) == (Status.PUBLISHED, published_at, reviewer)
    assert open_change(live) is None
    record = PendingChange.objects.get(object_id=live.pk)
    assert (record.state, record.clinical, record.changed_fields) == (PendingState.PUBLISHED, False, ["tags"])
    assert record.revision.comment == "Published the changes (editorial, no clinical text)"
    assert record.revision.user == publisher
    assert Version.objects.get_for_object(live).get(revision=record.revision).field_dict["body"] == live.body
    kinds = list(Transition.objects.filter(object_id=live.pk).values_list("kind", flat=True))
    assert kinds[0] == TransitionKind.EDITORIAL_PUBLISHED
    assert "Imuran" in Client().get("/tag/azathioprine/").content.decode()


def test_publishing_clinical_text_at_once_is_refused_and_keeps_nothing(live, publisher):
    refused = press(as_user(publisher), live, "publish_changes", body="<p>New dose advice.</p>", tags="Azathioprine")
    assert "must sign them off" in refused.content.decode()
    assert refused.context["adminform"].form["body"].value() == "<p>New dose advice.</p>"  # as typed
    live.refresh_from_db()
    assert live.body == "<p>Reviewed text.</p>" and list(live.tags.names()) == []
    assert not PendingChange.objects.filter(object_id=live.pk).exists()
    assert not reader_sees(live, "New dose advice.")


def test_a_retag_published_at_once_on_a_form_opened_before_another_save_gets_the_conflict_page(live, publisher):
    client = as_user(publisher)
    url = admin_url(live, "change")
    stale = form_data(client, url)
    press(client, live, "publish_changes", tags="Imuran")
    conflict = client.post(url, {**stale, "_workflow": "publish_changes", "tags": "Azathioprine"})
    assert conflict.status_code == 409
    live.refresh_from_db()
    assert list(live.tags.names()) == ["Imuran"]
    assert PendingChange.objects.filter(object_id=live.pk).count() == 1


def test_new_inline_rows_of_pending_changes_keep_their_own_ids(live, publisher, reviewer):
    client = as_user(publisher)
    data = add_row(form_data(client, admin_url(live, "change")), "references", title="FDA label", position="0")
    client.post(admin_url(live, "change"), data)
    assert not Reference.objects.filter(article=live).exists()
    # Another page gets a reference meanwhile: the pending row must not take over its id.
    other = make_article(status=Status.DRAFT)
    Reference.objects.create(article=other, title="Other page's source")
    pending = open_change(live)
    from workflow.pending import publish_changes, review_changes

    review_changes(pending=pending, by=make_reviewer(), references_checked=True)
    publish_changes(pending=pending, by=publisher)
    assert list(Reference.objects.filter(article=live).values_list("title", flat=True)) == ["FDA label"]
    assert list(Reference.objects.filter(article=other).values_list("title", flat=True)) == ["Other page's source"]


def test_a_drugs_clinical_rows_wait_for_review_too(publisher):
    drug = make_published_drug(generic_name="azathioprine")
    make_side_effect(drug, name="nausea", frequency="common", seriousness="mild")
    client = as_user(publisher)
    url = admin_url(drug, "change")
    data = form_data(client, url)
    data["side_effects-0-DELETE"] = "on"
    client.post(url, data)
    assert list(SideEffect.objects.filter(drug=drug).values_list("name", flat=True)) == ["nausea"]
    assert open_change(drug).clinical
    assert "<strong>Nausea</strong>" in Client().get(drug.get_absolute_url()).content.decode()


def test_discarding_changes_leaves_the_published_page_as_it_was(live, author):
    client = as_user(author)
    post_form(client, live, body="<p>Second thoughts.</p>")
    press(client, live, "discard_changes")
    assert open_change(live) is None
    assert form_data(client, admin_url(live, "change"))["body"] == "<p>Reviewed text.</p>"


def test_the_changes_page_and_preview_show_the_pending_text_to_staff_only(live, author):
    client = as_user(author)
    post_form(client, live, body="<p>Reviewed text, now clearer.</p>")
    changes = client.get(admin_url(live, "changes"))
    assert changes.status_code == 200
    assert "<ins>" in changes.content.decode() and "clearer" in changes.content.decode()
    preview = client.get(admin_url(live, "changes_preview"))
    assert preview.status_code == 200 and "now clearer" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    assert Client().get(admin_url(live, "changes_preview")).status_code == 302  # to the login page
    assert not reader_sees(live, "now clearer")


def test_a_page_without_changes_has_no_changes_page(live, author):
    assert as_user(author).get(admin_url(live, "changes")).status_code == 404


def test_a_refused_move_saves_nothing_and_says_why_once(author, publisher):
    draft = make_article(status=Status.DRAFT, author=author, title="Kept title")
    response = press(as_user(publisher), draft, Status.PUBLISHED, title="Typed title")
    assert response.status_code == 200
    html = response.content.decode()
    assert "must sign this page off" in html
    assert 'value="Typed title"' in html  # what was typed is still in the form
    assert messages_of(response, level=messages.SUCCESS) == []
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Kept title", Status.DRAFT)


def test_clinical_edits_after_sign_off_need_a_new_sign_off(author, reviewer, publisher):
    in_review = make_article(status=Status.IN_REVIEW, author=author)
    sign_off(in_review, reviewer)
    response = post_form(as_user(publisher), in_review, body="<p>Changed after the review.</p>")
    assert "needs signing off again" in " ".join(messages_of(response))
    in_review.refresh_from_db()
    assert (in_review.reviewed_by, in_review.last_reviewed) == (None, None)
    refused = press(as_user(publisher), in_review, Status.PUBLISHED)
    assert "must sign this page off" in refused.content.decode()


def test_an_author_withdraws_a_submission_from_the_read_only_page(author):
    article = make_article(status=Status.IN_REVIEW, author=author)
    client = as_user(author)
    page = client.get(admin_url(article, "change"))
    assert not page.context["has_change_permission"]
    assert "Withdraw from review</button>" in page.content.decode()
    response = client.post(admin_url(article, "move"), {"_workflow": Status.DRAFT}, follow=True)
    assert "Now draft." in messages_of(response)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_the_move_page_refuses_moves_the_role_does_not_allow(author):
    article = make_article(status=Status.IN_REVIEW, author=author)
    client = as_user(author)
    assert client.post(admin_url(article, "move"), {"_workflow": Status.PUBLISHED}).status_code == 403
    assert client.post(admin_url(article, "move"), {"_workflow": "nonsense"}).status_code == 400
    assert client.get(admin_url(article, "move")).status_code == 405
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_publishing_with_a_future_time_is_scheduled_not_published(author, reviewer, publisher):
    article = make_article(status=Status.DRAFT, author=author)
    sign_off(article, reviewer)
    later = timezone.localtime() + timezone.timedelta(days=2)
    response = press(
        as_user(publisher),
        article,
        Status.PUBLISHED,
        published_at_0=later.date().isoformat(),
        published_at_1="09:00:00",
    )
    assert any(message.startswith("Scheduled: readers see it from") for message in messages_of(response))
    article.refresh_from_db()
    assert article.is_scheduled and article.state_label == "Scheduled"
    listed = as_user(publisher).get("/admin/articles/article/", {"state": "scheduled"})
    assert list(listed.context["cl"].result_list) == [article]
    assert "Scheduled" in as_user(publisher).get(admin_url(article, "change")).content.decode()
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_an_expired_page_leaves_readers_and_is_unpublished_with_a_log_line(author):
    from workflow.services import expire_due

    article = make_article(author=author, title="Flu clinic dates")
    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert expire_due() == 1
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert Transition.objects.get(object_id=article.pk).comment == "Unpublish time reached"
    assert Client().get(article.get_absolute_url()).status_code == 410


def test_the_review_queue_lists_new_pages_and_changes_waiting_for_review(
    live, author, reviewer, django_assert_max_num_queries
):
    submitted = make_article(status=Status.IN_REVIEW, author=author, title="Waiting article")
    make_article(status=Status.DRAFT, author=author, title="Still a draft")
    post_form(as_user(author), live, body="<p>Edited.</p>")
    press(as_user(author), live, "submit_changes")
    client = as_user(reviewer)
    client.get("/admin/review-queue/")  # a process that has served a page before: content types looked up
    with django_assert_max_num_queries(20):
        response = client.get("/admin/review-queue/")
    waiting = [(row.title, row.what) for row in response.context["waiting"]]
    assert waiting == [("Waiting article", "New page"), ("Imuran", "Changes to a published page")]
    assert submitted.title in response.content.decode()


def test_the_preview_of_a_scheduled_page_says_scheduled_not_published(publisher):
    later = timezone.now() + timezone.timedelta(days=3)
    article = make_article(published_at=later)
    html = as_user(publisher).get(article.get_absolute_url()).content.decode()
    assert f"scheduled: readers see it from {timezone.localtime(later):%-d %B %Y}" in html
    assert "(published" not in html


def test_the_dashboard_shows_changes_to_review_and_to_publish_to_the_right_people(live, author, publisher):
    from workflow.dashboard import pending_changes_waiting_for

    post_form(as_user(author), live, body="<p>Edited for the dashboard.</p>")
    press(as_user(author), live, "submit_changes")
    other_reviewer = make_reviewer()
    assert [row.title for row in pending_changes_waiting_for(other_reviewer)] == ["Imuran"]
    assert pending_changes_waiting_for(author) == []
    assert pending_changes_waiting_for(publisher) == []  # not signed off yet
    press(as_user(other_reviewer), live, "review_changes", references_checked="on")
    assert [row.state for row in pending_changes_waiting_for(publisher)] == ["Changes signed off"]
    assert pending_changes_waiting_for(other_reviewer) == []
    assert "Imuran" in as_user(publisher).get("/admin/").content.decode()


def test_submitting_and_publishing_changes_sends_the_e_mails(live, author, publisher, mailoutbox, commit):
    author.email, publisher.email = "ann@example.org", "pat@example.org"
    author.save()
    publisher.save()
    other_reviewer = make_reviewer(email="sam@example.org")
    post_form(as_user(author), live, body="<p>Mailed edit.</p>")
    with commit():
        press(as_user(author), live, "submit_changes")
    assert [(mail.subject, mail.to) for mail in mailoutbox] == [("Changes for review: Imuran", ["sam@example.org"])]
    press(as_user(other_reviewer), live, "review_changes", references_checked="on")
    with commit():
        press(as_user(publisher), live, "publish_changes")
    assert ("Changes published: Imuran", ["ann@example.org"]) in [(mail.subject, mail.to) for mail in mailoutbox]


def test_a_publisher_publishes_an_editorial_change_in_one_step_but_not_a_clinical_one(live, publisher, reviewer):
    client = as_user(publisher)
    assert "Save and publish changes" in client.get(admin_url(live, "change")).content.decode()
    done = press(client, live, "publish_changes", tags="Azathioprine")
    assert "readers see them now" in " ".join(messages_of(done))
    assert list(live.tags.names()) == ["Azathioprine"]
    refused = press(client, live, "publish_changes", body="<p>Clinical edit.</p>")
    assert "must sign them off" in refused.content.decode()
    assert "Clinical edit." in refused.content.decode()  # still in the form
    assert open_change(live) is None  # nothing kept
    live.refresh_from_db()
    assert live.body == "<p>Reviewed text.</p>" and live.reviewed_by == reviewer


@pytest.mark.usefixtures("page_cache")
def test_opening_a_page_with_changes_waiting_leaves_the_readers_cache_alone(live, author, commit):
    editor = as_user(author)  # signing in saves the user, which readers' pages show: before the cache is warm
    with commit():
        post_form(editor, live, body="<p>Waiting text.</p>")
    reader = Client()
    reader.get(live.get_absolute_url())
    assert reader.get(live.get_absolute_url())["X-Page-Cache"] == "hit"
    with commit():
        assert "Waiting text." in editor.get(admin_url(live, "change")).content.decode()
    second = reader.get(live.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert "Waiting text." not in second.content.decode()


def test_an_edit_kept_for_review_writes_no_derived_rows(live, author):
    """The save is rolled back once its revision is recorded: tag-page rows, counts, reading ages and search
    entries would be undone with it, so they are not written at all (they are when the change is published)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(author)
    url = admin_url(live, "change")
    data = {**form_data(client, url), "tags": "Azathioprine", "body": "<p>Reviewed text, and a new line.</p>"}
    with CaptureQueriesContext(connection) as queries:
        client.post(url, data)
    assert open_change(live).changed_fields == ["body", "tags"]
    derived = ("tagpublication", "tagarticlecount", "categoryarticlecount", "readinglevel", "searchentry")
    assert [query["sql"] for query in queries if any(table in query["sql"] for table in derived)] == []
