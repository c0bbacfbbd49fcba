"""No lost updates: the second of two overlapping saves gets the conflict page with its text intact."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from publishing.models import Status
from tests.admin_helpers import change_url, form_data
from tests.factories import make_article, make_published_drug, make_role_user
from workflow.roles import PUBLISHER
from workflow.services import EditConflict, edit_version_claim, edit_version_current

pytestmark = pytest.mark.django_db


def editor_client(username, first_name):
    client = Client()
    client.force_login(make_role_user(PUBLISHER, username=username, first_name=first_name))
    return client


@pytest.fixture
def alice():
    return editor_client("alice", "Alice")


@pytest.fixture
def bob():
    return editor_client("bob", "Bob")


def test_two_editors_save_the_same_article_and_the_second_sees_the_conflict(alice, bob):
    article = make_article(status=Status.DRAFT, body="<p>Original text.</p>")
    url = change_url(article)
    alice_data, bob_data = form_data(alice, url), form_data(bob, url)
    alice_data["body"] = "<p>Alice's careful edit.</p>"
    bob_data["body"] = "<p>Bob's different edit.</p>"
    bob_data["summary"] = "Bob's summary."

    assert alice.post(url, alice_data).status_code == 302
    conflict = bob.post(url, bob_data)

    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "Edit conflict" in html and "Alice saved this page" in html
    form = conflict.context["adminform"].form
    assert form["body"].value() == "<p>Bob's different edit.</p>"  # his text is still on the page
    assert form["summary"].value() == "Bob's summary."
    assert "Bob&#x27;s" in html or "Bob's" in html
    assert "<del>Alice" in html and "<ins>Bob" in html  # what changed between the saved text and his
    article.refresh_from_db()
    assert article.body == "<p>Alice's careful edit.</p>"  # the first save stands
    bodies = [v.field_dict["body"] for v in Version.objects.get_for_object(article)]
    assert bodies == ["<p>Alice's careful edit.</p>"]

    # Bob merges on the conflict page and saves again: a deliberate save after seeing Alice's edit.
    merged = {**bob_data, "body": "<p>Alice's careful edit. Bob's addition.</p>"}
    merged["edit_version"] = form["edit_version"].value()
    assert bob.post(url, merged).status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Alice's careful edit. Bob's addition.</p>"
    bodies = [v.field_dict["body"] for v in Version.objects.get_for_object(article)]
    assert bodies == ["<p>Alice's careful edit. Bob's addition.</p>", "<p>Alice's careful edit.</p>"]


def test_a_workflow_move_after_opening_the_form_is_also_a_conflict(alice, bob):
    drug = make_published_drug(summary="Old summary.")
    url = change_url(drug)
    bob_data = form_data(bob, url)
    alice.post(reverse("admin:drugs_drug_changelist"), {"action": "unpublish", "_selected_action": [drug.pk]})
    bob_data["summary"] = "Bob's summary."
    response = bob.post(url, bob_data)
    assert response.status_code == 409
    drug.refresh_from_db()
    assert drug.status == Status.UNPUBLISHED and drug.summary == "Old summary."


def test_the_claim_refuses_a_stale_version_at_save_time():
    article = make_article()
    start = edit_version_current(article)
    assert edit_version_claim(obj=article, expected=start) == start + 1
    with pytest.raises(EditConflict):
        edit_version_claim(obj=article, expected=start)


def test_the_change_page_says_who_else_has_it_open(alice, bob):
    article = make_article()
    url = change_url(article)
    assert alice.get(url).context["editing_now"] == []
    page = bob.get(url)
    assert page.context["editing_now"] == ["Alice"]
    assert 'Also open by: <span id="workflow-presence-names">Alice</span>' in page.content.decode()
    presence = reverse("admin:articles_article_presence", args=[article.pk])
    assert alice.post(presence).json() == {"editing": ["Bob"]}
    alice.post(presence, {"leave": "1"})
    assert bob.post(presence).json() == {"editing": []}


def test_presence_is_refused_to_readers(client):
    article = make_article()
    response = client.post(reverse("admin:articles_article_presence", args=[article.pk]))
    assert response.status_code == 302  # to the login page


def test_a_save_landing_between_the_check_and_the_write_still_ends_on_the_conflict_page(alice, bob, monkeypatch):
    """The form's check passed, then another save committed: the conditional UPDATE catches it."""
    import workflow.forms

    article = make_article(status=Status.DRAFT)
    url = change_url(article)
    stale = edit_version_current(article)
    bob_data = form_data(bob, url)
    alice_data = {**form_data(alice, url), "title": "Alice's title"}
    assert alice.post(url, alice_data).status_code == 302
    real, calls = workflow.forms.edit_version_current, []

    def first_check_sees_the_old_number(obj):
        calls.append(obj.pk)
        return stale if len(calls) == 1 else real(obj)

    monkeypatch.setattr(workflow.forms, "edit_version_current", first_check_sees_the_old_number)
    response = bob.post(url, {**bob_data, "title": "Bob's title"})
    assert response.status_code == 409
    article.refresh_from_db()
    assert article.title == "Alice's title"
    assert Version.objects.get_for_object(article).count() == 1


def test_a_change_posted_without_the_version_field_is_refused_and_changes_nothing(client):
    """A crafted POST cannot skip the edit lock by leaving the hidden version out."""
    from articles.models import Article
    from tests.factories import make_article, make_staff

    article = make_article(title="Kept")
    client.force_login(make_staff())
    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in ["title", "slug", "summary", "body", "category"]}
    data.update(title="Overwritten", author=article.author_id)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Kept"
