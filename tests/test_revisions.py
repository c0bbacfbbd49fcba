"""Revisions (django-reversion): every admin save keeps one; compare any two; restore; recover deleted."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import User
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from publishing.models import Status
from tests.admin_helpers import admin_url, changelist_url, form_data, messages_of, post_action
from tests.factories import make_article, make_category, make_published_drug, make_role_user, make_user, sign_off
from workflow.pending import open_change, publish_changes, review_changes
from workflow.roles import MEDICAL_REVIEWER, PUBLISHER

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_client(client):
    client.force_login(make_role_user(PUBLISHER, username="pat"))
    return client


def save(client, obj, **changes):
    """Save ``obj``'s admin form with ``changes``; it must be saved, and any workflow button must have worked."""
    data = {**form_data(client, admin_url(obj, "change")), **changes}
    response = client.post(admin_url(obj, "change"), data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    assert messages_of(response, level=messages.WARNING) == []
    obj.refresh_from_db()


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision"))


def test_every_admin_save_keeps_a_revision_with_tags_and_references(publisher_client):
    article = make_article(status=Status.DRAFT, tags=["Liver"], body="<p>First.</p>")
    save(publisher_client, article, body="<p>Second.</p>")
    save(publisher_client, article, body="<p>Third.</p>", tags="Liver, Kidney")
    history = versions(article)
    assert [v.field_dict["body"] for v in history] == ["<p>Third.</p>", "<p>Second.</p>"]
    tags_of = [
        sorted(p.object_repr.rsplit(" ", 1)[-1] for p in v.revision.version_set.exclude(pk=v.pk)) for v in history
    ]
    assert tags_of == [["Kidney", "Liver"], ["Liver"]]
    page = publisher_client.get(admin_url(article, "history"))
    assert page.status_code == 200 and "Compare selected revisions" in page.content.decode()


def test_compare_shows_a_readable_word_diff_of_any_two_revisions(publisher_client):
    category = make_category(name="Kidneys")
    article = make_article(status=Status.DRAFT, body="<p>Take it with food.</p>", title="Old title")
    save(publisher_client, article, body="<p>Take it with a full glass of water.</p>")
    save(publisher_client, article, title="New title", category=category.pk)
    newest, middle = versions(article)
    response = publisher_client.get(admin_url(article, "compare"), {"old": newest.pk, "new": middle.pk})
    assert response.status_code == 200
    labels = [change.label for change in response.context["changes"]]
    assert labels == ["Title", "Category"]  # given newest first, still shown oldest to newest
    html = response.content.decode()
    assert "<del>Old</del><ins>New</ins> title" in html
    assert "<ins>Kidneys</ins>" in html
    first = publisher_client.get(admin_url(article, "compare"), {"old": middle.pk, "new": middle.pk})
    assert first.context["changes"] == []


def test_compare_with_bad_revision_ids_is_a_clear_answer_not_a_crash(publisher_client):
    article = make_article(status=Status.DRAFT)
    save(publisher_client, article, title="Saved once")
    assert publisher_client.get(admin_url(article, "compare"), {"old": "x", "new": "1"}).status_code == 400
    assert publisher_client.get(admin_url(article, "compare"), {"old": 999999, "new": 999998}).status_code == 404


def test_restoring_a_revision_of_a_published_page_waits_for_review_and_keeps_the_state(publisher_client):
    article = make_article(status=Status.DRAFT, body="<p>Good text.</p>")
    save(publisher_client, article, body="<p>Good text.</p>", summary="Good summary.")
    good = versions(article)[0]
    save(publisher_client, article, body="<p>Mistake.</p>")
    sign_off(article)
    save(publisher_client, article, _workflow=Status.PUBLISHED)
    assert article.status == Status.PUBLISHED
    restore_url = admin_url(article, "revision", good.pk)
    form = form_data(publisher_client, restore_url)
    assert form["body"] == "<p>Good text.</p>"
    response = publisher_client.post(restore_url, form)
    assert (response.status_code, response["Location"]) == (302, admin_url(article, "change"))
    article.refresh_from_db()
    # Readers still see the reviewed text; the restored one waits for its own review.
    assert article.body == "<p>Mistake.</p>" and article.status == Status.PUBLISHED
    pending = open_change(article)
    assert pending is not None and pending.clinical
    review_changes(pending=pending, by=make_role_user(MEDICAL_REVIEWER, credentials="MD"), references_checked=True)
    publish_changes(pending=pending, by=article_publisher(publisher_client))
    article.refresh_from_db()
    assert article.body == "<p>Good text.</p>"
    assert article.status == Status.PUBLISHED  # restoring text is not a move between states


def article_publisher(client):
    return User.objects.get(pk=client.session["_auth_user_id"])


def test_a_reviewer_cannot_publish_by_restoring_a_published_revision(client):
    publisher = make_role_user(PUBLISHER)
    reviewer = make_role_user(MEDICAL_REVIEWER, credentials="MD")
    article = make_article(status=Status.DRAFT, body="<p>As published.</p>")
    sign_off(article)
    client.force_login(publisher)
    save(client, article, _workflow=Status.PUBLISHED)
    assert article.status == Status.PUBLISHED
    published = versions(article)[0]
    assert published.field_dict["status"] == Status.PUBLISHED
    for action, state in (
        ("unpublish", Status.UNPUBLISHED),
        ("back_to_draft", Status.DRAFT),
        ("submit_for_review", Status.IN_REVIEW),
    ):
        response = post_action(client, action, [article])
        assert messages_of(response) == [f"1 moved to {state.label.lower()}."], action
        article.refresh_from_db()
        assert article.status == state, action
    edit = {**form_data(client, admin_url(article, "change")), "body": "<p>Edited after publishing.</p>"}
    assert client.post(admin_url(article, "change"), edit).status_code == 302
    kept = len(versions(article))
    client.force_login(reviewer)
    restore_url = admin_url(article, "revision", published.pk)
    # The revision is shown as it was (published): read only to a reviewer, and refused when posted.
    page = client.get(restore_url)
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert client.post(restore_url, form_data(client, restore_url)).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW and not article.is_public
    assert article.body == "<p>Edited after publishing.</p>"
    assert len(versions(article)) == kept  # nothing was restored


def test_deleted_content_can_be_recovered(publisher_client):
    article = make_article(status=Status.DRAFT, title="Deleted by mistake", tags=["Liver"])
    save(publisher_client, article, summary="Worth keeping.")
    pk = article.pk
    response = publisher_client.post(admin_url(article, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=pk).exists()
    recover_list = publisher_client.get(reverse("admin:articles_article_recoverlist"))
    assert "Deleted by mistake" in recover_list.content.decode()
    version = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    response = publisher_client.post(recover_url, form_data(publisher_client, recover_url))
    assert (response.status_code, response["Location"]) == (302, changelist_url(Article))
    article = Article.objects.get(pk=pk)
    assert article.summary == "Worth keeping." and list(article.tags.names()) == ["Liver"]


def test_drug_pages_keep_revisions_with_their_rows(publisher_client):
    drug = make_published_drug(summary="First summary.")
    save(publisher_client, drug, summary="Second summary.")
    save(publisher_client, drug, summary="Third summary.")
    newest, older = versions(drug)
    response = publisher_client.get(admin_url(drug, "compare"), {"old": older.pk, "new": newest.pk})
    assert [change.label for change in response.context["changes"]] == ["Summary"]
    assert "<del>Second</del><ins>Third</ins>" in response.content.decode()


def test_history_is_not_shown_to_readers_or_staff_without_permission(client):
    article = make_article()
    client.force_login(make_user(is_staff=True))
    assert client.get(admin_url(article, "history")).status_code in (403, 404)
