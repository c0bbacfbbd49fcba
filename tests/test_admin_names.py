"""Names and labels in the admin: who is signed in, our names for the packages' apps, read-only rich text."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, PinnedLink
from publishing.models import Status
from tests.admin_helpers import change_url
from tests.factories import make_article, make_published_drug, make_role_user, make_user
from workflow.roles import AUTHOR, MEDICAL_REVIEWER, PUBLISHER

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


# --- The header says who is signed in, and as what ---


@pytest.mark.parametrize("role", [AUTHOR, MEDICAL_REVIEWER, PUBLISHER])
def test_the_header_names_the_person_and_their_role(client, role):
    user = make_role_user(role, first_name="Ana", last_name="Example")
    html = signed_in(client, user).get(reverse("admin:index")).content.decode()
    assert 'Signed in as <strong class="signed-in-as__name">Ana Example</strong>' in html
    assert f'<span class="signed-in-as__role">{role}</span>' in html
    assert "Welcome," not in html


def test_the_header_falls_back_to_the_username_and_says_superuser(client):
    root = make_user(username="root", is_staff=True, is_superuser=True)
    html = signed_in(client, root).get(reverse("admin:index")).content.decode()
    assert '<strong class="signed-in-as__name">root</strong>' in html
    assert '<span class="signed-in-as__role">Superuser</span>' in html


def test_the_header_lists_every_role_a_person_holds_and_escapes_names(client):
    user = make_role_user(AUTHOR, first_name="<b>Bo</b>")
    user.groups.add(Group.objects.get(name=PUBLISHER))
    html = signed_in(client, user).get(reverse("admin:articles_article_changelist")).content.decode()
    assert "&lt;b&gt;Bo&lt;/b&gt;" in html and "<b>Bo</b>" not in html
    assert f'<span class="signed-in-as__role">{AUTHOR}, {PUBLISHER}</span>' in html


# --- The packages' apps carry our names in the sidebar ---


def test_package_apps_have_names_editors_understand(client):
    names = {label: apps.get_app_config(label).verbose_name for label in ("taggit", "axes", "otp_static", "otp_totp")}
    assert names == {
        "taggit": "Tags",
        "axes": "Sign-in protection",
        "otp_static": "Two-factor backup codes",
        "otp_totp": "Two-factor authenticator apps",
    }
    root = make_user(username="root", is_staff=True, is_superuser=True)
    html = signed_in(client, root).get(reverse("admin:index")).content.decode()
    for name in ("Tags", "Sign-in protection", "Two-factor backup codes", "Users and roles"):
        assert f">{name}<" in html, name
    for package in ("Taggit", "Axes", "Otp_Static", "Authentication and Authorization"):
        assert f">{package}<" not in html, package


# --- Read-only rich text shows formatted, sanitised ---


def test_an_author_sees_their_article_in_review_formatted_not_as_html_source(client):
    author = make_role_user(AUTHOR)
    article = make_article(author=author, status=Status.IN_REVIEW, body="<h2>Dosing</h2><p>Take <em>one</em>.</p>")
    html = signed_in(client, author).get(change_url(article)).content.decode()
    assert 'name="_save"' not in html, "the page should be read only for the author"
    assert '<div class="readonly-rich-text"><h2>Dosing</h2><p>Take <em>one</em>.</p></div>' in html
    assert "&lt;h2&gt;" not in html


def test_read_only_rich_text_is_sanitised_again_on_display(client):
    author = make_role_user(AUTHOR)
    article = make_article(author=author, status=Status.IN_REVIEW)
    # Written past the model's sanitiser, as raw SQL or an update would.
    Article.objects.filter(pk=article.pk).update(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    html = signed_in(client, author).get(change_url(article)).content.decode()
    assert '<div class="readonly-rich-text"><p>Hi</p></div>' in html
    assert "alert(1)" not in html


def test_an_editable_page_keeps_the_rich_text_editor(client):
    author = make_role_user(AUTHOR)
    article = make_article(author=author, status=Status.DRAFT)
    html = signed_in(client, author).get(change_url(article)).content.decode()
    assert 'name="_save"' in html
    assert "readonly-rich-text" not in html
    assert "prose-editor" in html


def test_read_only_drug_pages_show_their_plain_fields_as_before(client):
    reviewer = make_role_user(MEDICAL_REVIEWER)
    drug = make_published_drug(status=Status.DRAFT, mechanism="Blocks <things>.")
    html = signed_in(client, reviewer).get(change_url(drug)).content.decode()
    assert 'name="_save"' not in html
    assert "Blocks &lt;things&gt;." in html


# --- Fields a role may not set: no shortcuts that do nothing, help that fits ---


def input_tag(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


def test_a_locked_publish_time_has_no_shortcuts_and_says_who_sets_it(client):
    author = make_role_user(AUTHOR)
    article = make_article(author=author, status=Status.DRAFT)
    html = signed_in(client, author).get(change_url(article)).content.decode()
    for name in ("published_at_0", "published_at_1", "last_reviewed", "next_review_due"):
        tag = input_tag(html, name)
        assert "disabled" in tag, name
        # DateTimeShortcuts.js adds "Today | Now" and the calendar to inputs with these classes.
        assert "vDateField" not in tag and "vTimeField" not in tag, name
    assert "Only a publisher sets when readers first see the page." in html
    assert "Filled in when a medical reviewer presses “Mark medically reviewed”." in html
    assert "Leave empty to publish now." not in html


def test_a_publisher_keeps_the_date_shortcuts_and_the_help_on_typing(client):
    publisher = make_role_user(PUBLISHER)
    article = make_article(status=Status.DRAFT)
    html = signed_in(client, publisher).get(change_url(article)).content.decode()
    assert "vDateField" in input_tag(html, "published_at_0")
    assert "disabled" not in input_tag(html, "published_at_0")
    assert "Leave empty to publish now." in html


# --- Every field an editor fills in says what it is for ---

# Not on any form: the page a row belongs to, and "See also" (edited as pinned links).
NOT_ON_FORMS = {"drug", "article", "see_also"}


def editable_fields():
    from django.contrib import admin

    from articles.models import PinnedLink, TagAlias
    from drugs.models import DrugName, DrugUse, Precaution, SideEffect
    from publishing.models import Publishable, Reference

    # The publishing core's own fields are labelled there.
    def inherited(model):
        bases = [base for base in (Publishable, Reference) if issubclass(model, base)]
        return {field.name for base in bases for field in base._meta.get_fields()}

    models = [m for m in admin.site._registry if m._meta.app_label in ("articles", "drugs")]
    models += [PinnedLink, TagAlias, DrugName, DrugUse, Precaution, SideEffect]
    for model in models:
        for field in model._meta.get_fields():
            if field.auto_created or not (field.concrete or field.many_to_many) or not field.editable:
                continue
            if field.name not in inherited(model) and field.name not in NOT_ON_FORMS:
                yield model, field


def test_every_field_editors_fill_in_has_help_text():
    missing = [f"{model.__name__}.{field.name}" for model, field in editable_fields() if not field.help_text]
    assert missing == []


def test_no_field_is_labelled_with_a_programmers_word():
    words = {"slug", "url", "position", "rxcui"}
    labels = {f"{model.__name__}.{field.name}": str(field.verbose_name) for model, field in editable_fields()}
    assert [name for name, label in labels.items() if label.lower() in words] == []
    assert labels["Article.slug"] == "web address"
    assert labels["PinnedLink.position"] == "order"
    assert PinnedLink.position.field.help_text == "Order in the list (lower first)."
