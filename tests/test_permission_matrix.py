"""Who may reach what: every role against every admin and preview address, on their own and on others' content.

The tables below are the specification. Each cell is the answer one role gets
at one address: ``login`` (sent to sign in), ``edit`` (a form it may save),
``200`` (a page, read only), or a status code. For pages about one article a
cell reads ``own|other``: the role's own draft, then someone else's draft.
"""

import re
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article
from changelog.models import ChangeNote
from drugs.models import Drug
from feedback.models import Feedback
from publishing.models import Status
from readability.models import GlossaryTerm
from tests.admin_helpers import form_data
from tests.factories import (
    make_article,
    make_drug_name,
    make_page,
    make_published_drug,
    make_reviewer,
    make_role_user,
    make_user,
    sign_off,
)
from workflow.models import PendingChange, PendingState, SlugRedirect
from workflow.roles import AUTHOR, PUBLISHER

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "author", "reviewer", "publisher", "superuser")

# fmt: off
OBJECT_PAGES = {
    "article, draft": {
        #                   anonymous      author        reviewer      publisher     superuser
        "change":          ("login|login", "edit|200",   "edit|200",   "edit|edit",  "edit|edit"),
        "history":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "revision":        ("login|login", "edit|200",   "edit|200",   "edit|edit",  "edit|edit"),
        "compare":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "delete":          ("login|login", "403|403",    "403|403",    "200|200",    "200|200"),
        "presence":        ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "preview":         ("404|404",     "200|200",    "200|200",    "200|200",    "200|200"),
        "view-on-site":    ("login|login", "302|302",    "302|302",    "302|302",    "302|302"),
    },
    "article, in review": {
        #                   anonymous      author        reviewer      publisher     superuser
        "change":          ("login|login", "200|200",    "edit|edit",  "edit|edit",  "edit|edit"),
        "history":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "revision":        ("login|login", "200|200",    "edit|edit",  "edit|edit",  "edit|edit"),
        "move":            ("login|login", "400|400",    "400|400",    "400|400",    "400|400"),
        "compare":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "delete":          ("login|login", "403|403",    "403|403",    "200|200",    "200|200"),
        "presence":        ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "preview":         ("404|404",     "200|200",    "200|200",    "200|200",    "200|200"),
        "view-on-site":    ("login|login", "302|302",    "302|302",    "302|302",    "302|302"),
    },
    "article, published, changes in review": {
        #                   anonymous      author        reviewer      publisher     superuser
        "change":          ("login|login", "edit|200",   "edit|edit",  "edit|edit",  "edit|edit"),
        "changes":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "changes-preview": ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
    },
    "drug, draft": {
        #                   anonymous      author        reviewer      publisher     superuser
        "change":          ("login|login", "edit|200",   "edit|200",   "edit|edit",  "edit|edit"),
        "history":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "revision":        ("login|login", "edit|200",   "edit|200",   "edit|edit",  "edit|edit"),
        "compare":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "delete":          ("login|login", "403|403",    "403|403",    "200|200",    "200|200"),
        "presence":        ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "preview":         ("404|404",     "200|200",    "200|200",    "200|200",    "200|200"),
        "view-on-site":    ("login|login", "302|302",    "302|302",    "302|302",    "302|302"),
    },
    "page, draft": {
        #                   anonymous      author        reviewer      publisher     superuser
        "change":          ("login|login", "edit|200",   "edit|200",   "edit|edit",  "edit|edit"),
        "history":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "revision":        ("login|login", "edit|200",   "edit|200",   "edit|edit",  "edit|edit"),
        "compare":         ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "delete":          ("login|login", "403|403",    "403|403",    "200|200",    "200|200"),
        "presence":        ("login|login", "200|200",    "200|200",    "200|200",    "200|200"),
        "preview":         ("404|404",     "200|200",    "200|200",    "200|200",    "200|200"),
        "view-on-site":    ("login|login", "302|302",    "302|302",    "302|302",    "302|302"),
    },
}
SITE_PAGES = {
    #                        anonymous  author  reviewer  publisher  superuser
    "admin-index":          ("login",   "200",  "200",    "200",     "200"),
    "article-list":         ("login",   "200",  "200",    "200",     "200"),
    "article-add":          ("login",   "edit", "403",    "edit",    "edit"),
    "article-recover-list": ("login",   "200",  "403",    "200",     "200"),
    "article-recover":      ("login",   "200",  "403",    "edit",    "edit"),
    "tag-autocomplete":     ("login",   "200",  "200",    "200",     "200"),
    "category-autocomplete": ("login",  "200",  "200",    "200",     "200"),
    # People boxes: only those who may set the field list names (workflow.roles.may_pick_people).
    "author-autocomplete":  ("login",   "403",  "403",    "200",     "200"),
    "reviewer-autocomplete": ("login",  "403",  "403",    "200",     "200"),
    "drug-author-autocomplete": ("login", "403", "403",   "200",     "200"),
    "user-autocomplete-elsewhere": ("login", "403", "403", "403",    "200"),
    "review-queue":         ("login",   "200",  "200",    "200",     "200"),
    "link-chooser":         ("login",   "200",  "200",    "200",     "200"),
    "image-chooser":        ("login",   "200",  "200",    "200",     "200"),
    "image-list":           ("login",   "200",  "200",    "200",     "200"),
    "image-add":            ("login",   "edit", "edit",   "edit",    "edit"),
    "tag-list":             ("login",   "403",  "403",    "200",     "200"),
    "tag-change":           ("login",   "403",  "403",    "edit",    "edit"),
    "category-list":        ("login",   "200",  "200",    "edit",    "edit"),
    "category-add":         ("login",   "403",  "403",    "edit",    "edit"),
    "drug-list":            ("login",   "200",  "200",    "200",     "200"),
    "drug-add":             ("login",   "edit", "403",    "edit",    "edit"),
    "page-list":            ("login",   "200",  "200",    "200",     "200"),
    "page-add":             ("login",   "edit", "403",    "edit",    "edit"),
    "user-list":            ("login",   "403",  "403",    "403",     "200"),
    "group-list":           ("login",   "403",  "403",    "403",     "200"),
    "transition-list":      ("login",   "403",  "200",    "200",     "200"),
    "slug-redirect-list":   ("login",   "403",  "403",    "200",     "200"),
    "sign-in-log":          ("login",   "403",  "403",    "403",     "200"),
    "authenticators":       ("login",   "403",  "403",    "403",     "200"),
    # The broken-links report, linked from the review queue: every role that fixes pages reads it.
    "broken-links":         ("login",   "200",  "200",    "200",     "200"),
    "task-results":         ("login",   "403",  "403",    "403",     "200"),
    "review-queue-by-reading-age": ("login", "200", "200",  "200",     "200"),
    # The plain-English glossary beside the editor: publishers keep it.
    "glossary-list":        ("login",   "403",  "403",    "200",     "200"),
    "glossary-add":         ("login",   "403",  "403",    "edit",    "edit"),
    "glossary-change":      ("login",   "403",  "403",    "edit",    "edit"),
    # Reader feedback: whoever may see pages in the admin reads it; nobody adds or edits an answer.
    "feedback-list":        ("login",   "200",  "200",    "200",     "200"),
    "feedback-change":      ("login",   "200",  "200",    "200",     "200"),
    "feedback-add":         ("login",   "403",  "403",    "403",     "403"),
    "feedback-delete":      ("login",   "403",  "403",    "200",     "200"),
    "corrections":          ("200",     "200",  "200",    "200",     "200"),
    "corrections-feed":     ("200",     "200",  "200",    "200",     "200"),
}
# The state a draft is left in when each role posts a bulk action on someone else's signed-off draft.
BULK_ACTIONS = {
    #                     anonymous  author       reviewer     publisher      superuser
    "publish_now":       ("draft",   "draft",     "draft",     "published",   "published"),
    "submit_for_review": ("draft",   "draft",     "draft",     "in_review",   "in_review"),
}
# fmt: on


def user_for(role: str):
    if role == "anonymous":
        return None
    if role == "superuser":
        return make_user(username="root", is_staff=True, is_superuser=True)
    if role == "reviewer":
        return make_reviewer(username="rita")
    return make_role_user({"author": AUTHOR, "publisher": PUBLISHER}[role], username=role)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def outcome(response) -> str:
    if response.status_code == 302 and "login" in response["Location"]:
        return "login"
    if response.status_code == 200 and b'name="_save"' in response.content:
        return "edit"
    return str(response.status_code)


def with_history(obj):
    for summary in ("First.", "Second."):
        obj.summary = summary
        with reversion.create_revision():
            obj.save()
    return obj


CONTENT = {
    "article, draft": lambda author: make_article(status=Status.DRAFT, author=author),
    "article, in review": lambda author: make_article(status=Status.IN_REVIEW, author=author),
    "drug, draft": lambda author: make_published_drug(status=Status.DRAFT, author=author),
    "page, draft": lambda author: make_page(status=Status.DRAFT, author=author),
    "article, published, changes in review": lambda author: with_changes_in_review(make_article(author=author)),
}


def with_changes_in_review(obj):
    """A published page with an open change in review (its revision: the page as it is)."""
    with reversion.create_revision():
        obj.save()
    revision = Version.objects.get_for_object(obj).first().revision
    PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        revision=revision,
        state=PendingState.IN_REVIEW,
        created_by=obj.author,
    )
    return obj


def draft_with_history(author) -> Article:
    return with_history(CONTENT["article, draft"](author))


def object_urls(obj) -> dict[str, tuple[str, str]]:
    """Each object page: (method, address)."""
    info = f"admin:{obj._meta.app_label}_{obj._meta.model_name}"
    old, new = sorted(Version.objects.get_for_object(obj).values_list("pk", flat=True))[-2:]
    content_type = ContentType.objects.get_for_model(obj).pk
    return {
        "change": ("get", reverse(f"{info}_change", args=[obj.pk])),
        "history": ("get", reverse(f"{info}_history", args=[obj.pk])),
        "revision": ("get", reverse(f"{info}_revision", args=[obj.pk, new])),
        "compare": ("get", reverse(f"{info}_compare", args=[obj.pk]) + f"?old={old}&new={new}"),
        "delete": ("get", reverse(f"{info}_delete", args=[obj.pk])),
        "presence": ("post", reverse(f"{info}_presence", args=[obj.pk])),
        "move": ("post", reverse(f"{info}_move", args=[obj.pk])),
        "changes": ("get", reverse(f"{info}_changes", args=[obj.pk])),
        "changes-preview": ("get", reverse(f"{info}_changes_preview", args=[obj.pk])),
        "preview": ("get", obj.get_absolute_url()),
        "view-on-site": ("get", reverse("admin:view_on_site", args=[content_type, obj.pk])),
    }


def site_urls() -> dict[str, str]:
    tag = Tag.objects.create(name="Liver", slug="liver")
    term = GlossaryTerm.objects.create(term="hepatic", plainer="liver")
    deleted = make_article(status=Status.DRAFT)
    with reversion.create_revision():
        deleted.save()
    deleted.delete()
    answer = Feedback.objects.create(page=make_article(), helpful=True, comment="Clear.", voter="site-urls")
    autocomplete = reverse("admin:autocomplete")
    return {
        "admin-index": reverse("admin:index"),
        "article-list": reverse("admin:articles_article_changelist"),
        "article-add": reverse("admin:articles_article_add"),
        "article-recover-list": reverse("admin:articles_article_recoverlist"),
        "article-recover": reverse(
            "admin:articles_article_recover", args=[Version.objects.get_deleted(Article).first().pk]
        ),
        "tag-autocomplete": reverse("admin:articles_article_tag_autocomplete") + "?q=li",
        "category-autocomplete": f"{autocomplete}?app_label=articles&model_name=article&field_name=category",
        "author-autocomplete": f"{autocomplete}?app_label=articles&model_name=article&field_name=author",
        "reviewer-autocomplete": f"{autocomplete}?app_label=articles&model_name=article&field_name=reviewed_by",
        "drug-author-autocomplete": f"{autocomplete}?app_label=drugs&model_name=drug&field_name=author",
        # A user box that is not a people field of content (a slug redirect has none; the log's "by" is not one).
        "user-autocomplete-elsewhere": f"{autocomplete}?app_label=workflow&model_name=transition&field_name=by",
        "review-queue": reverse("review-queue"),
        "link-chooser": reverse("link-chooser") + "?q=az",
        "image-chooser": reverse("image-chooser") + "?q=liver",
        "image-list": reverse("admin:images_image_changelist"),
        "image-add": reverse("admin:images_image_add"),
        "tag-list": reverse("admin:taggit_tag_changelist"),
        "tag-change": reverse("admin:taggit_tag_change", args=[tag.pk]),
        "category-list": reverse("admin:articles_category_changelist"),
        "category-add": reverse("admin:articles_category_add"),
        "drug-list": reverse("admin:drugs_drug_changelist"),
        "drug-add": reverse("admin:drugs_drug_add"),
        "page-list": reverse("admin:pages_page_changelist"),
        "page-add": reverse("admin:pages_page_add"),
        "user-list": reverse("admin:auth_user_changelist"),
        "group-list": reverse("admin:auth_group_changelist"),
        "transition-list": reverse("admin:workflow_transition_changelist"),
        "slug-redirect-list": reverse("admin:workflow_slugredirect_changelist"),
        "sign-in-log": reverse("admin:axes_accessattempt_changelist"),
        "authenticators": reverse("admin:otp_totp_totpdevice_changelist"),
        "broken-links": reverse("admin:linkcheck_brokenlink_changelist"),
        "task-results": reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        "review-queue-by-reading-age": reverse("review-queue") + "?sort=reading-age",
        "glossary-list": reverse("admin:readability_glossaryterm_changelist"),
        "glossary-add": reverse("admin:readability_glossaryterm_add"),
        "glossary-change": reverse("admin:readability_glossaryterm_change", args=[term.pk]),
        "feedback-list": reverse("admin:feedback_feedback_changelist"),
        "feedback-change": reverse("admin:feedback_feedback_change", args=[answer.pk]),
        "feedback-add": reverse("admin:feedback_feedback_add"),
        "feedback-delete": reverse("admin:feedback_feedback_delete", args=[answer.pk]),
        "corrections": reverse("changelog:corrections"),
        "corrections-feed": reverse("changelog:feed"),
    }


def ask(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("content", OBJECT_PAGES)
def test_object_pages_answer_each_role_as_the_table_says(content, role):
    user = user_for(role)
    client = client_for(user)
    make = CONTENT[content]
    own = with_history(make(user if user is not None else make_user()))
    other = with_history(make(make_user()))
    column = ROLES.index(role)
    own_urls, other_urls = object_urls(own), object_urls(other)
    seen = {
        page: "|".join(outcome(ask(client, *urls[page])) for urls in (own_urls, other_urls))
        for page in OBJECT_PAGES[content]
    }
    assert seen == {page: cells[column] for page, cells in OBJECT_PAGES[content].items()}


@pytest.mark.parametrize("role", ROLES)
def test_site_pages_answer_each_role_as_the_table_says(role):
    urls = site_urls()
    client = client_for(user_for(role))
    column = ROLES.index(role)
    seen = {page: outcome(client.get(url)) for page, url in urls.items()}
    assert seen == {page: cells[column] for page, cells in SITE_PAGES.items()}


def test_the_tables_cover_every_role_and_page():
    tables = [*OBJECT_PAGES.values(), SITE_PAGES, BULK_ACTIONS]
    assert all(len(cells) == len(ROLES) for table in tables for cells in table.values())
    assert OBJECT_PAGES.keys() == CONTENT.keys()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_bulk_actions_move_only_what_the_role_may_move(role, action):
    client = client_for(user_for(role))
    article = make_article(status=Status.DRAFT)
    sign_off(article)
    client.post(reverse("admin:articles_article_changelist"), {"action": action, "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == BULK_ACTIONS[action][ROLES.index(role)]


@pytest.mark.parametrize("role", ["author", "reviewer", "publisher"])
def test_merging_tags_is_for_publishers_only(role):
    client = client_for(user_for(role))
    article = make_article(tags=["Imuran", "Azathioprine"])
    keep, other = Tag.objects.get(name="Azathioprine"), Tag.objects.get(name="Imuran")
    response = client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "merge_tags", "_selected_action": [keep.pk, other.pk], "survivor": keep.pk, "confirm": "1"},
    )
    merged = not Tag.objects.filter(pk=other.pk).exists()
    assert (response.status_code, merged) == ((302, True) if role == "publisher" else (403, False))
    assert set(article.tags.names()) == ({"Azathioprine"} if merged else {"Imuran", "Azathioprine"})


@pytest.mark.parametrize("role", ["author", "reviewer"])
@pytest.mark.parametrize("content", ["article, draft", "drug, draft"])
def test_fields_a_role_may_not_set_are_left_as_they_were(role, content):
    user = user_for(role)
    client = client_for(user)
    obj = CONTENT[content](user)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    data = form_data(client, url)
    someone = make_reviewer()
    data.update(
        status=Status.PUBLISHED,
        reviewed_by=someone.pk,
        last_reviewed="2020-01-01",
        next_review_due="2030-01-01",
        published_at_0="2020-01-01",
        published_at_1="10:00",
        author=someone.pk,
    )
    client.post(url, data)
    data["status"] = Status.DRAFT
    client.post(url, data)
    for button in (Status.PUBLISHED, "mark_reviewed"):
        client.post(url, {**form_data(client, url), "_workflow": button})
    obj.refresh_from_db()
    assert (obj.status, obj.published_at, obj.author, obj.reviewed_by) == (
        Status.DRAFT,
        None,
        user,
        None,
    )
    assert (obj.last_reviewed, obj.next_review_due) == (None, None)


def test_restoring_someone_elses_revision_is_refused_to_an_author():
    author = user_for("author")
    client = client_for(author)
    article = draft_with_history(make_user())
    first = min(Version.objects.get_for_object(article).values_list("pk", flat=True))
    url = reverse("admin:articles_article_revision", args=[article.pk, first])
    assert client.post(url, {**form_data(client, url), "summary": "Taken over."}).status_code == 403
    article.refresh_from_db()
    assert article.summary == "Second."


# --- Unpublished content: staff with the right permission only, whatever address is guessed ---

HIDDEN_STATES = {
    "draft": {"status": Status.DRAFT},
    "in-review": {"status": Status.IN_REVIEW},
    "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    "unpublished": {"status": Status.UNPUBLISHED},
}


def viewers():
    """Who asks, and whether they may see previews."""
    staff_without_permission = make_user(is_staff=True)
    drug_viewer = make_user(is_staff=True)
    drug_viewer.user_permissions.add(Permission.objects.get(codename="view_drug"))
    return [
        (None, False),
        (make_user(), False),
        (staff_without_permission, False),
        (make_role_user(AUTHOR), True),
        (make_reviewer(), True),
        (make_role_user(PUBLISHER), True),
    ], drug_viewer


def guessed_article_addresses(article) -> list[str]:
    SlugRedirect.objects.create(
        content_type=ContentType.objects.get_for_model(Article), old_slug=f"old-{article.slug}", object_id=article.pk
    )
    return [
        f"/articles/{article.slug.upper()}/",
        f"/articles/old-{article.slug}/",
        f"/articles/{article.pk}/",
        f"/articles/{article.slug}-/",
    ]


@pytest.mark.parametrize("state", HIDDEN_STATES.values(), ids=HIDDEN_STATES.keys())
def test_hidden_articles_and_drugs_reach_only_staff_with_permission(state):
    article = make_article(**state)
    drug = make_published_drug(**state)
    brand = make_drug_name(drug, name="Hiddenbrand", slug="hiddenbrand")
    guesses = guessed_article_addresses(article) + [f"/drugs/{brand.slug}/", f"/drugs/{drug.slug.upper()}/"]
    people, drug_viewer = viewers()
    for user, may_preview in people:
        client = client_for(user)
        for url in (article.get_absolute_url(), drug.get_absolute_url()):
            assert (client.get(url).status_code == 200) == may_preview, (user, url)
        for url in guesses:
            response = client.get(url)
            if not may_preview:
                assert response.status_code in {404, 410}, (user, url, response.status_code)
    drug_only = client_for(drug_viewer)
    assert drug_only.get(drug.get_absolute_url()).status_code == 200
    assert drug_only.get(article.get_absolute_url()).status_code in {404, 410}


@pytest.mark.parametrize("state", HIDDEN_STATES.values(), ids=HIDDEN_STATES.keys())
def test_hidden_site_pages_reach_only_staff_with_permission(state):
    about = make_page(segment="about", show_in_footer=True)
    page = make_page(title="Hidden policy", segment="policy", parent=about, show_in_footer=True, **state)
    SlugRedirect.objects.create(
        content_type=ContentType.objects.get_for_model(page), old_slug="about/old-policy", object_id=page.pk
    )
    guesses = ["/about/POLICY/", "/about/old-policy/", f"/about/{page.pk}/", "/policy/", "/about/policy"]
    people, _ = viewers()
    for user, may_preview in people:
        client = client_for(user)
        assert (client.get("/about/policy/").status_code == 200) == may_preview, user
        about_page = client.get("/about/").content.decode()
        assert ("Hidden policy" in about_page) is False, user  # never listed or linked while hidden
        for url in guesses:
            if not may_preview:
                assert client.get(url).status_code in {301, 404, 410}, (user, url)
                assert "Hidden policy" not in client.get(url, follow=True).content.decode(), (user, url)


def test_hidden_content_stays_out_of_lists_search_feeds_and_sitemaps(commit):
    # The search index and the stored counts are written once the saves commit.
    with commit():
        hidden = [
            make_article(title=f"Secret {name}", summary="A secret page.", tags=["Liver"], **state)
            for name, state in HIDDEN_STATES.items()
        ]
        public = make_article(title="Public one", summary="No secret here.", tags=["Liver"])
        for page in (*hidden, public):
            ChangeNote.objects.create(page=page, summary=f"Corrected {page.slug}.", is_correction=True)
        make_published_drug(generic_name="secretdrug", summary="A secret drug.", status=Status.DRAFT)
        public_drug = make_published_drug(generic_name="opendrug", summary="No secret here either.")
    # Each page must show its published counterpart, so an empty page cannot pass.
    counterpart = {
        "/": public.slug,
        "/tag/liver/": public.slug,
        "/tag/": "/tag/liver/",
        "/search/?q=secret": public.slug,
        "/feeds/latest/": public.slug,
        "/corrections/": public.slug,
        "/feeds/corrections/": public.slug,
        "/sitemap-articles.xml": public.slug,
        "/drugs/": public_drug.slug,
        "/api/v1/articles/": public.slug,
        "/api/v1/articles/?tag=liver": public.slug,
        "/api/v1/tags/": "liver",
        "/api/v1/search/?q=secret": public.slug,
    }
    client = Client()
    for url, shown in counterpart.items():
        body = client.get(url).content.decode()
        assert shown in body, url
        assert "Secret" not in body and "secretdrug" not in body, url
        for article in hidden:
            assert article.slug not in body, url
    assert public_drug.slug in client.get("/search/?q=secret").content.decode()
    assert Drug.objects.count() == 2


# --- Unsafe requests without a CSRF token ---


def csrf_targets(article, tag_pks) -> list[tuple[str, dict]]:
    info = "admin:articles_article"
    return [
        (reverse(f"{info}_add"), {"title": "x"}),
        (reverse(f"{info}_change", args=[article.pk]), {"title": "x"}),
        (reverse(f"{info}_delete", args=[article.pk]), {"post": "yes"}),
        (reverse(f"{info}_changelist"), {"action": "publish_now", "_selected_action": [article.pk]}),
        (reverse(f"{info}_presence", args=[article.pk]), {}),
        (
            reverse("admin:taggit_tag_changelist"),
            {"action": "merge_tags", "_selected_action": tag_pks, "survivor": tag_pks[0], "confirm": "1"},
        ),
        (reverse("admin:auth_user_add"), {"username": "x"}),
        (reverse("admin:logout"), {}),
        (reverse("two_factor:login"), {"auth-username": "root", "auth-password": "x"}),
        (reverse("search:search"), {"q": "x"}),
        (reverse("drugs:interactions"), {"drugs": "a,b"}),
        ("/", {}),
    ]


def test_the_one_csrf_free_form_acts_for_no_account_and_needs_a_signed_page_token():
    """Reader feedback posts from cached pages, so it has no CSRF token: it must not matter who is signed in."""
    root = make_user(username="root", is_staff=True, is_superuser=True)
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(root)
    refused = client.post(reverse("feedback:submit"), {"helpful": "no", "token": "forged"})
    assert refused.status_code == 400
    page = Client().get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    kept = client.post(reverse("feedback:submit"), {"helpful": "no", "token": token})
    assert kept.status_code == 303
    assert not kept.cookies
    assert [field.name for field in Feedback._meta.get_fields() if field.is_relation] == ["content_type", "page"]


def test_every_unsafe_request_without_a_csrf_token_is_refused():
    root = make_user(username="root", is_staff=True, is_superuser=True)
    article = make_article(status=Status.DRAFT, tags=["One", "Two"])
    sign_off(article)
    client = Client(enforce_csrf_checks=True)
    client.force_login(root)
    targets = csrf_targets(article, list(article.tags.values_list("pk", flat=True)))
    answers = {url: client.post(url, data).status_code for url, data in targets}
    assert answers == {url: 403 for url, _ in targets}
    article.refresh_from_db()
    assert (article.status, Article.objects.count(), article.tags.count()) == (Status.DRAFT, 1, 2)
