"""No lost updates: the second of two overlapping saves gets the conflict page with its text intact."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from publishing.models import Status
from tests.admin_helpers import FormFields, change_url, form_data
from tests.factories import make_article, make_published_drug, make_role_user
from workflow.conflicts import BOTH, SALT, THEIRS_ONLY, YOURS_ONLY
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


def page_data(response) -> dict:
    """What the form on a page shown again (such as the conflict page) would post if submitted as it stands."""
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {name: values if len(values) != 1 else values[0] for name, values in parser.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    return {name: value.lstrip("\n") if isinstance(value, str) else value for name, value in data.items()}


def changes_of(response) -> dict:
    """``{field: outcome}`` of each text field the conflict page compares."""
    return {change.name: change.outcome for change in response.context["conflict"]["detail"].changes}


def bodies(article) -> list[str]:
    return [version.field_dict["body"] for version in Version.objects.get_for_object(article)]


@pytest.fixture
def carol():
    return editor_client("carol", "Carol")


@pytest.fixture
def both_edited_the_body(alice, bob):
    """Alice saves a new body; Bob, who opened the same version, posts his own body and summary: the conflict page."""
    article = make_article(status=Status.DRAFT, body="<p>Original text.</p>", summary="Old summary.")
    url = change_url(article)
    alice_data, bob_data = form_data(alice, url), form_data(bob, url)
    assert alice.post(url, {**alice_data, "body": "<p>Original text. Alice's added line.</p>"}).status_code == 302
    conflict = bob.post(url, {**bob_data, "body": "<p>Original text. Bob's rewrite.</p>", "summary": "Bob's summary."})
    assert conflict.status_code == 409
    return article, url, conflict


def test_two_editors_save_the_same_article_and_the_second_sees_each_field_side_by_side(both_edited_the_body):
    article, url, conflict = both_edited_the_body
    html = conflict.content.decode()
    assert "Edit conflict" in html and "Alice saved this page" in html
    form = conflict.context["adminform"].form
    assert form["body"].value() == "<p>Original text. Bob's rewrite.</p>"  # his text is still in the form
    assert form["summary"].value() == "Bob's summary."
    assert changes_of(conflict) == {"summary": YOURS_ONLY, "body": BOTH}
    # Her added line is shown as hers, on her side; not as something "removed".
    body = next(change for change in conflict.context["conflict"]["detail"].changes if change.name == "body")
    assert body.theirs_html == 'Original text. <mark class="workflow-differs">Alice&#x27;s added line.</mark>'
    assert body.yours_html == 'Original text. <mark class="workflow-differs">Bob&#x27;s rewrite.</mark>'
    assert "<del>" not in html
    assert '<input type="radio" name="conflict_choice_body" value="theirs">' in html  # none preselected
    assert '<input type="radio" name="conflict_choice_body" value="mine">' in html
    assert 'name="conflict_choice_summary"' not in html  # only he changed it: no question asked
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>"
    assert bodies(article) == ["<p>Original text. Alice's added line.</p>"]


def test_a_blind_second_save_is_refused_and_keeps_her_text(both_edited_the_body, bob):
    article, url, conflict = both_edited_the_body
    again = bob.post(url, page_data(conflict))  # Save pressed again without choosing
    assert again.status_code == 409
    assert "choose “Keep theirs” or “Keep mine” for Body" in again.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>"
    assert len(bodies(article)) == 1
    assert changes_of(again)["body"] == BOTH  # still asked, however often Save is pressed
    assert bob.post(url, page_data(again)).status_code == 409
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>"


def test_the_first_post_sent_again_is_refused_too(both_edited_the_body, bob):
    article, url, conflict = both_edited_the_body
    resent = {**page_data(conflict), "edit_resolution": ""}
    assert bob.post(url, resent).status_code == 409
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>"


def test_keep_theirs_saves_her_body_and_his_summary(both_edited_the_body, bob):
    article, url, conflict = both_edited_the_body
    assert bob.post(url, {**page_data(conflict), "conflict_choice_body": "theirs"}).status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>"
    assert article.summary == "Bob's summary."


def test_keep_mine_saves_the_text_in_his_form(both_edited_the_body, bob):
    article, url, conflict = both_edited_the_body
    merged = {**page_data(conflict), "conflict_choice_body": "mine"}
    merged["body"] = "<p>Original text. Alice's added line. Bob's addition.</p>"  # merged by hand in the form
    assert bob.post(url, merged).status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line. Bob's addition.</p>"
    assert bodies(article) == [
        "<p>Original text. Alice's added line. Bob's addition.</p>",
        "<p>Original text. Alice's added line.</p>",
    ]


def test_a_field_only_she_changed_is_merged_into_his_form(alice, bob):
    article = make_article(status=Status.DRAFT, body="<p>Original text.</p>", summary="Old summary.")
    url = change_url(article)
    alice_data, bob_data = form_data(alice, url), form_data(bob, url)
    assert alice.post(url, {**alice_data, "summary": "Alice's summary."}).status_code == 302
    conflict = bob.post(url, {**bob_data, "body": "<p>Bob's body.</p>"})
    assert conflict.status_code == 409
    assert changes_of(conflict) == {"summary": THEIRS_ONLY, "body": YOURS_ONLY}
    assert conflict.context["adminform"].form["summary"].value() == "Alice's summary."
    assert "merged automatically" in conflict.content.decode().lower()
    assert bob.post(url, page_data(conflict)).status_code == 302  # nothing left to choose
    article.refresh_from_db()
    assert (article.summary, article.body) == ("Alice's summary.", "<p>Bob's body.</p>")


def test_a_third_save_while_he_merges_is_caught_again(both_edited_the_body, bob, carol):
    article, url, conflict = both_edited_the_body
    carol_data = form_data(carol, url)
    assert carol.post(url, {**carol_data, "title": "Carol's title"}).status_code == 302
    chose = bob.post(url, {**page_data(conflict), "conflict_choice_body": "theirs"})
    assert chose.status_code == 409
    assert "saved this page again while you were merging" in chose.content.decode()
    article.refresh_from_db()
    assert article.title == "Carol's title" and article.summary == "Old summary."
    # His "keep theirs" still stands (her body is unchanged since); Carol's title came into his form.
    form = chose.context["adminform"].form
    assert form["title"].value() == "Carol's title"
    assert form["body"].value() == "<p>Original text. Alice's added line.</p>"
    assert bob.post(url, page_data(chose)).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.summary) == ("Carol's title", "Bob's summary.")
    assert article.body == "<p>Original text. Alice's added line.</p>"


def test_a_resolution_that_would_win_a_race_with_another_save_is_checked_at_write_time(
    both_edited_the_body, bob, carol, monkeypatch
):
    """The resolution names a version; the conditional UPDATE refuses it if a save lands after the check."""
    import workflow.forms

    article, url, conflict = both_edited_the_body
    resolved = {**page_data(conflict), "conflict_choice_body": "mine"}
    seen = workflow.forms.edit_version_current(article)
    assert carol.post(url, {**form_data(carol, url), "title": "Carol's title"}).status_code == 302
    real, calls = workflow.forms.edit_version_current, []

    def first_check_sees_the_old_number(obj):
        calls.append(obj.pk)
        return seen if len(calls) == 1 else real(obj)

    monkeypatch.setattr(workflow.forms, "edit_version_current", first_check_sees_the_old_number)
    assert bob.post(url, resolved).status_code == 409
    article.refresh_from_db()
    assert article.title == "Carol's title" and article.body == "<p>Original text. Alice's added line.</p>"


def _forged(token):
    payload = signing.loads(token, salt=SALT)
    payload["c"] = []
    return signing.dumps(payload, salt="someone-elses-salt", compress=True)


HOSTILE = {
    "garbage": lambda token, other: {"edit_resolution": "not-a-token"},
    "truncated": lambda token, other: {"edit_resolution": token[:-5]},
    "re-signed elsewhere": lambda token, other: {"edit_resolution": _forged(token)},
    "another article's": lambda token, other: {"edit_resolution": other},
    "huge": lambda token, other: {"edit_resolution": "a" * 100_000},
    "unknown choice": lambda token, other: {"edit_resolution": token, "conflict_choice_body": "everything"},
    "listed twice": lambda token, other: {"edit_resolution": [token, "x"], "conflict_choice_body": ["x", "y"]},
    "opened token forged": lambda token, other: {"edit_opened": "x", "edit_resolution": ""},
}


@pytest.mark.parametrize("tamper", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_resolutions_show_the_conflict_again_and_change_nothing(both_edited_the_body, bob, tamper):
    article, url, conflict = both_edited_the_body
    other = make_article(status=Status.DRAFT)
    other_page = bob.post(change_url(other), {**form_data(bob, change_url(other)), "edit_version": "99"})
    assert other_page.status_code == 409
    token, others = page_data(conflict)["edit_resolution"], page_data(other_page)["edit_resolution"]
    data = {**page_data(conflict), **tamper(token, others)}
    response = bob.post(url, data)
    assert response.status_code in (400, 409)
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>" and article.summary == "Old summary."


def test_another_editors_resolution_does_not_count_for_me(both_edited_the_body, bob, carol):
    article, url, conflict = both_edited_the_body
    stolen = {**form_data(carol, url), **page_data(conflict), "conflict_choice_body": "mine"}
    assert carol.post(url, stolen).status_code == 409
    article.refresh_from_db()
    assert article.body == "<p>Original text. Alice's added line.</p>"


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
