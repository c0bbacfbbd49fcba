"""Roles: each can do what it should in the admin and nothing more, by form, bulk action or crafted POST."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from drugs.models import Drug
from publishing.models import Status
from tests.admin_helpers import change_url, form_data, messages_of, post_action
from tests.factories import make_article, make_category, make_drug, make_role_user, make_user, sign_off
from workflow.models import Transition, TransitionKind
from workflow.roles import AUTHOR, MEDICAL_REVIEWER, PUBLISHER, role_permissions

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def author(db):
    return make_role_user(AUTHOR, username="ann-author")


@pytest.fixture
def reviewer(db):
    return make_role_user(MEDICAL_REVIEWER, username="rita-reviewer", credentials="MD", first_name="Rita")


@pytest.fixture
def publisher(db):
    return make_role_user(PUBLISHER, username="pete-publisher")


def login(client, user):
    client.force_login(user)
    return client


def test_migrate_creates_the_three_roles_with_the_permissions_derived_from_the_publishable_models():
    permissions = role_permissions()
    for role, perms in permissions.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(perms), role
    assert "articles.publish_article" not in permissions[AUTHOR]
    assert "taggit.view_tag" not in permissions[AUTHOR]
    assert {"articles.review_article", "drugs.review_drug"} <= set(permissions[MEDICAL_REVIEWER])
    assert {"drugs.publish_drug", "articles.change_category", "taggit.delete_tag"} <= set(permissions[PUBLISHER])
    # The same grants as the list kept by hand before the roles followed the registry, plus site pages
    # (author: add, change, view; reviewer: change, view, review; publisher: those five and delete, publish), the
    # image library's four (every role that edits articles and drugs uploads and edits the images they show), an
    # article's questions and answers (4 each: edited with the article), the plain-English glossary (4,
    # publishers), public change notes (4 each: edited with the page) and reading the broken-links report (1 each).
    assert [len(permissions[role]) for role in (AUTHOR, MEDICAL_REVIEWER, PUBLISHER)] == [57, 58, 87]
    assert {"pages.add_page", "pages.change_page", "pages.view_page"} <= set(permissions[AUTHOR])
    assert "pages.publish_page" in permissions[PUBLISHER] and "pages.review_page" in permissions[MEDICAL_REVIEWER]
    assert {"images.add_image", "images.view_image"} <= set(permissions[AUTHOR])
    assert {"articles.change_faqitem", "readability.change_glossaryterm"} <= set(permissions[PUBLISHER])
    assert "readability.change_glossaryterm" not in permissions[AUTHOR]
    assert {"changelog.add_changenote", "changelog.change_changenote"} <= set(permissions[AUTHOR])
    assert all("linkcheck.view_brokenlink" in permissions[role] for role in (AUTHOR, MEDICAL_REVIEWER, PUBLISHER))


def test_author_creates_a_draft_and_submits_it_for_review(client, author):
    category = make_category()
    login(client, author)
    data = form_data(client, reverse("admin:articles_article_add"))
    data.update(title="Ibuprofen basics", slug="ibuprofen-basics", summary="What it is.", category=category.pk)
    data["body"] = "<p>Text.</p>"
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(slug="ibuprofen-basics")
    assert article.author == author and article.status == Status.DRAFT
    data = form_data(client, change_url(article))
    data["_workflow"] = Status.IN_REVIEW
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    move = Transition.objects.get(object_id=article.pk, to_status=Status.IN_REVIEW)
    assert (move.from_status, move.by) == (Status.DRAFT, author)


def test_the_state_is_not_a_form_field_so_a_posted_state_is_ignored(client, author):
    article = make_article(author=author, status=Status.DRAFT)
    login(client, author)
    data = form_data(client, change_url(article))
    assert "status" not in client.get(change_url(article)).context["adminform"].form.fields
    data["status"] = Status.PUBLISHED
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_author_cannot_publish_through_a_crafted_button_post(client, author):
    article = make_article(author=author, status=Status.DRAFT)
    login(client, author)
    data = form_data(client, change_url(article))
    data["_workflow"] = Status.PUBLISHED
    assert client.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not Transition.objects.filter(object_id=article.pk).exists()


def test_author_cannot_publish_through_a_bulk_action_even_if_crafted(client, author):
    article = make_article(author=author, status=Status.DRAFT)
    login(client, author)
    actions = [value for value, _ in client.get(CHANGELIST).context["action_form"].fields["action"].choices]
    assert "publish_now" not in actions and "submit_for_review" in actions
    assert messages_of(post_action(client, "publish_now", [article])) == ["No action selected."]
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_author_cannot_set_the_publish_time_author_or_reviewer(client, author):
    article = make_article(author=author, status=Status.DRAFT)
    other = make_user()
    login(client, author)
    data = form_data(client, change_url(article))
    data.update(author=other.pk, reviewed_by=other.pk, published_at_0="2020-01-01", published_at_1="10:00")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.author, article.reviewed_by, article.published_at) == (author, None, None)


def test_author_cannot_edit_someone_elses_draft(client, author):
    others = make_article(status=Status.DRAFT)
    login(client, author)
    page = client.get(change_url(others))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    data = form_data(client, change_url(others))
    data["title"] = "Changed"
    assert client.post(change_url(others), data).status_code == 403
    others.refresh_from_db()
    assert others.title != "Changed"


def test_authors_edit_of_their_published_article_waits_for_review(client, author):
    published = make_article(author=author, title="As published")
    login(client, author)
    data = form_data(client, change_url(published))
    data["title"] = "Changed"
    assert client.post(change_url(published), data).status_code == 302
    published.refresh_from_db()
    assert published.title == "As published"
    assert client.get(change_url(published)).context["pending"] is not None


def test_reviewer_edits_content_in_review_but_not_drafts(client, reviewer):
    in_review = make_article(status=Status.IN_REVIEW)
    draft = make_article(status=Status.DRAFT)
    login(client, reviewer)
    data = form_data(client, change_url(in_review))
    data["summary"] = "Clearer summary."
    assert client.post(change_url(in_review), data).status_code == 302
    in_review.refresh_from_db()
    assert in_review.summary == "Clearer summary."
    assert client.post(change_url(draft), form_data(client, change_url(draft))).status_code == 403


def test_reviewer_marks_reviewed_but_cannot_publish(client, reviewer):
    article = make_article(status=Status.IN_REVIEW)
    login(client, reviewer)
    data = form_data(client, change_url(article))
    data["_workflow"] = "mark_reviewed"
    data["references_checked"] = "on"
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.reviewed_by == reviewer and article.last_reviewed is not None
    data = form_data(client, change_url(article))
    data["_workflow"] = Status.PUBLISHED
    assert client.post(change_url(article), data).status_code == 403
    assert messages_of(post_action(client, "publish_now", [article])) == ["No action selected."]
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_reviewers_bulk_action_marks_the_selected_pages_reviewed(client, reviewer, settings):
    settings.MEDICAL_REVIEW_INTERVAL_MONTHS = 12
    selected = [make_article(status=Status.IN_REVIEW), make_drug(status=Status.IN_REVIEW)]
    left_alone = make_article(status=Status.IN_REVIEW)
    login(client, reviewer)
    with time_machine.travel(datetime(2026, 3, 15, 9, 0, tzinfo=UTC), tick=False):
        for page in selected:
            response = post_action(client, "mark_reviewed", [page], references_checked="yes")
            assert messages_of(response) == ["1 marked medically reviewed."]
    for page in selected:
        page.refresh_from_db()
        assert (page.reviewed_by, page.last_reviewed, page.next_review_due) == (
            reviewer,
            date(2026, 3, 15),
            date(2027, 3, 15),
        )
        logged = Transition.objects.get(object_id=page.pk, content_type__model=page._meta.model_name)
        assert (logged.kind, logged.by, logged.from_status, logged.to_status) == (
            TransitionKind.REVIEW,
            reviewer,
            Status.IN_REVIEW,
            Status.IN_REVIEW,
        )
        assert page.status == Status.IN_REVIEW  # a review signs off; it does not publish
    left_alone.refresh_from_db()
    assert left_alone.reviewed_by is None and not Transition.objects.filter(object_id=left_alone.pk).exists()


def test_reviewers_bulk_action_refuses_their_own_page_and_marks_the_rest(client, reviewer):
    own = make_article(status=Status.IN_REVIEW, author=reviewer, title="My own page")
    other = make_article(status=Status.IN_REVIEW)
    login(client, reviewer)
    response = post_action(client, "mark_reviewed", [own, other], references_checked="yes")
    assert messages_of(response) == [
        "1 marked medically reviewed.",
        "\u201cMy own page\u201d not marked: You wrote this, so someone else must review it.",
    ]
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.reviewed_by, own.last_reviewed) == (None, None)
    assert not Transition.objects.filter(object_id=own.pk).exists()
    assert other.reviewed_by == reviewer
    assert Transition.objects.filter(object_id=other.pk, kind=TransitionKind.REVIEW, by=reviewer).count() == 1


def test_reviewer_never_reviews_their_own_content(client, reviewer):
    article = make_article(status=Status.IN_REVIEW, author=reviewer)
    login(client, reviewer)
    (refused,) = messages_of(post_action(client, "mark_reviewed", [article], references_checked="yes"))
    assert refused.endswith("not marked: You wrote this, so someone else must review it.")
    article.refresh_from_db()
    assert article.reviewed_by is None


def test_reviewer_without_credentials_cannot_sign_off(client):
    reviewer = make_role_user(MEDICAL_REVIEWER)
    article = make_article(status=Status.IN_REVIEW)
    login(client, reviewer)
    data = {"action": "mark_reviewed", "_selected_action": [article.pk], "references_checked": "yes"}
    response = client.post(CHANGELIST, data, follow=True)
    assert "credentials" in response.content.decode()
    article.refresh_from_db()
    assert article.reviewed_by is None


def test_publisher_publishes_unpublishes_and_manages_categories(client, publisher):
    article = make_article(status=Status.IN_REVIEW)
    sign_off(article)
    login(client, publisher)
    assert messages_of(post_action(client, "publish_now", [article])) == ["1 moved to published."]
    article.refresh_from_db()
    assert article.is_public
    assert messages_of(post_action(client, "unpublish", [article])) == ["1 moved to unpublished."]
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert [t.to_status for t in Transition.objects.filter(object_id=article.pk).order_by("pk")] == [
        Status.PUBLISHED,
        Status.UNPUBLISHED,
    ]
    assert client.get(reverse("admin:articles_category_add")).status_code == 200
    assert client.get(reverse("admin:taggit_tag_changelist")).status_code == 200


def test_author_and_reviewer_cannot_manage_categories_or_tags(client, author, reviewer):
    for user in (author, reviewer):
        login(client, user)
        assert client.get(reverse("admin:articles_category_add")).status_code == 403
        assert client.get(reverse("admin:taggit_tag_changelist")).status_code == 403


def test_roles_apply_to_drug_pages_too(client, author, publisher):
    drug = make_drug(author=author, status=Status.DRAFT)
    sign_off(drug)
    login(client, author)
    assert messages_of(post_action(client, "publish_now", [drug])) == ["No action selected."]
    data = form_data(client, change_url(drug))
    data["_workflow"] = Status.PUBLISHED
    assert client.post(change_url(drug), data).status_code == 403
    drug.refresh_from_db()
    assert drug.status == Status.DRAFT
    login(client, publisher)
    assert messages_of(post_action(client, "publish_now", [drug])) == ["1 moved to published."]
    assert Drug.objects.get(pk=drug.pk).is_public


def test_superuser_can_do_everything(client):
    boss = make_user(is_staff=True, is_superuser=True)
    article = make_article(status=Status.DRAFT)
    sign_off(article)
    login(client, boss)
    data = form_data(client, change_url(article))
    data["_workflow"] = Status.PUBLISHED
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.is_public


def test_bulk_publishing_skips_pages_no_medical_reviewer_has_signed_off(client, publisher):
    unreviewed = make_article(status=Status.IN_REVIEW)
    reviewed = make_article(status=Status.IN_REVIEW)
    sign_off(reviewed)
    login(client, publisher)
    response = client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [unreviewed.pk, reviewed.pk]}, follow=True
    )
    assert "must sign this page off" in response.content.decode()
    unreviewed.refresh_from_db()
    reviewed.refresh_from_db()
    assert unreviewed.status == Status.IN_REVIEW
    assert reviewed.is_public


# --- People boxes: a publisher reassigns the author and the medical reviewer ---

AUTOCOMPLETE = reverse("admin:autocomplete")


def people_box(client, field_name, term="", model="article"):
    app_label = {"article": "articles", "drug": "drugs"}[model]
    query = {"app_label": app_label, "model_name": model, "field_name": field_name, "term": term}
    return client.get(AUTOCOMPLETE, query)


def test_a_publisher_lists_the_names_of_those_who_may_write_or_review(client, publisher, author, reviewer):
    make_user(username="not-staff")
    make_role_user(AUTHOR, username="gone-author", is_active=False)
    login(client, publisher)
    authors = people_box(client, "author").json()
    assert [row["text"] for row in authors["results"]] == ["ann-author", "pete-publisher"]
    # Names only: nothing else about a user leaves the admin.
    assert all(set(row) == {"id", "text"} for row in authors["results"])
    reviewers = people_box(client, "reviewed_by", model="drug").json()
    assert [row["text"] for row in reviewers["results"]] == ["rita-reviewer"]


def test_a_people_box_searches_names_but_not_email_addresses(client, publisher):
    make_role_user(AUTHOR, username="ann-author", first_name="Annabel", email="secret-address@example.org")
    login(client, publisher)
    assert [row["text"] for row in people_box(client, "author", "annab").json()["results"]] == ["ann-author"]
    assert people_box(client, "author", "secret-address").json()["results"] == []


def test_only_those_who_may_set_the_field_list_people(client, author, reviewer, publisher):
    for user in (author, reviewer):
        login(client, user)
        assert people_box(client, "author").status_code == 403
        assert people_box(client, "reviewed_by").status_code == 403
    login(client, publisher)
    # Not a people field of content, and the user pages themselves: still closed to a publisher.
    assert people_box(client, "category").status_code == 200
    log_box = {"app_label": "workflow", "model_name": "transition", "field_name": "by"}
    assert client.get(AUTOCOMPLETE, log_box).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_change", args=[author.pk])).status_code == 403


def test_a_publisher_reassigns_an_article_to_another_author(client, author, publisher):
    other = make_role_user(AUTHOR, username="olga-author")
    article = make_article(author=author, status=Status.DRAFT)
    login(client, publisher)
    found = people_box(client, "author", "olga").json()["results"]
    data = form_data(client, change_url(article))
    data["author"] = found[0]["id"]
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.author == other
