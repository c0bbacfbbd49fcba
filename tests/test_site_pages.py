"""Site pages ("About us", "Editorial policy"): a tree served at the site root, through the publishing core."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pages.addresses import address_space_clash, reserved_segments
from pages.models import Page
from pages.navigation import site_navigation
from publishing.models import Status
from search.models import Kind, SearchEntry
from tests.admin_helpers import admin_url, errors_of, form_data
from tests.factories import make_image, make_page, make_reviewer, make_role_user, make_user, sign_off
from workflow.models import PendingChange, SlugRedirect
from workflow.pending import open_change
from workflow.roles import AUTHOR, PUBLISHER

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The tree and its addresses ---


def test_a_child_page_is_served_below_its_parent():
    about = make_page(title="About us", segment="about")
    policy = make_page(title="Editorial policy", segment="editorial-policy", parent=about)
    assert (about.slug, policy.slug) == ("about", "about/editorial-policy")
    assert policy.get_absolute_url() == "/about/editorial-policy/"
    response = Client().get("/about/editorial-policy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Editorial policy</h1>" in html
    # The breadcrumb trail links the parent, and the parent lists its subpage.
    assert response.context["breadcrumbs"] == [("About us", "/about/"), ("Editorial policy", None)]
    assert "/about/editorial-policy/" in Client().get("/about/").content.decode()


def test_unknown_addresses_answer_the_normal_not_found_page():
    make_page(segment="about")
    for url in ("/about/nothing-here/", "/no-such-page/", "/About/", "/about/x/y/z/w/v/", "/a--b/"):
        response = Client().get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode(), url


def test_subpages_are_listed_in_their_order_and_only_when_published():
    about = make_page(segment="about")
    make_page(title="Second", parent=about, position=2)
    make_page(title="First", parent=about, position=1)
    make_page(title="Hidden draft", parent=about, status=Status.DRAFT)
    response = Client().get("/about/")
    assert [page.title for page in response.context["subpages"]] == ["First", "Second"]
    assert "Hidden draft" not in response.content.decode()


def test_renaming_a_parent_moves_every_page_below_it_and_keeps_the_old_addresses():
    about = make_page(segment="about")
    policy = make_page(segment="editorial-policy", parent=about)
    deeper = make_page(segment="sources", parent=policy)
    about.segment = "who-we-are"
    about.save()
    policy.refresh_from_db()
    deeper.refresh_from_db()
    assert (policy.slug, deeper.slug) == ("who-we-are/editorial-policy", "who-we-are/editorial-policy/sources")
    client = Client()
    for old, new in [
        ("/about/", "/who-we-are/"),
        ("/about/editorial-policy/", "/who-we-are/editorial-policy/"),
        ("/about/editorial-policy/sources/", "/who-we-are/editorial-policy/sources/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(new).status_code == 200


def test_moving_a_page_under_another_parent_redirects_its_old_address():
    page = make_page(segment="complaints")
    about = make_page(segment="about")
    page.parent = about
    page.save()
    response = Client().get("/complaints/")
    assert (response.status_code, response["Location"]) == (301, "/about/complaints/")


def test_a_draft_renamed_leaves_no_redirect():
    page = make_page(segment="draft-page", status=Status.DRAFT)
    page.segment = "renamed"
    page.save()
    assert not SlugRedirect.objects.exists()


def test_a_page_cannot_sit_under_itself_or_below_itself():
    top = make_page(segment="top")
    child = make_page(segment="child", parent=top)
    top.parent = child
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert "cannot sit under itself" in str(error.value)


def test_pages_go_at_most_four_levels_deep():
    parent = None
    for depth in range(4):
        parent = make_page(segment=f"level-{depth}", parent=parent)
    fifth = Page(title="Too deep", segment="too-deep", parent=parent, summary="x", author=make_user())
    with pytest.raises(ValidationError) as error:
        fifth.full_clean()
    assert "at most 4 levels" in str(error.value)


def test_two_pages_cannot_share_an_address():
    make_page(segment="privacy")
    twin = Page(title="Privacy again", segment="privacy", summary="x", author=make_user())
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "already has the address /privacy/" in str(error.value)


# --- Address spaces of the rest of the site ---


@pytest.mark.parametrize(
    "segment",
    ["articles", "drugs", "drug-classes", "conditions", "category", "tag", "search", "api", "admin", "feeds",
     "sitemap", "robots", "static", "media", "healthz", "interactions"],
)  # fmt: skip
def test_a_top_level_page_cannot_take_an_address_the_site_uses(segment):
    page = Page(title="Clash", segment=segment, summary="x", author=make_user())
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert f"/{segment}/ is already an address of the site" in str(error.value)


def test_the_reserved_segments_come_from_the_url_resolver(settings):
    taken = reserved_segments(settings.ROOT_URLCONF)
    assert {"articles", "drugs", "category", "tag", "admin", "api", "feeds", "search", "healthz"} <= taken.keys()
    assert address_space_clash("about") is None
    # Below a parent, the same word is free: /about/drugs/ reaches no other app.
    about = make_page(segment="about")
    Page(title="Our drug pages", segment="drugs", parent=about, summary="x", author=make_user()).full_clean()


def test_the_admin_refuses_a_clashing_slug_with_a_form_error():
    publisher = make_role_user(PUBLISHER)
    client = as_user(publisher)
    url = reverse("admin:pages_page_add")
    data = {**form_data(client, url), "title": "Drugs", "segment": "drugs", "summary": "x", "author": publisher.pk}
    response = client.post(url, data)
    assert "/drugs/ is already an address of the site" in errors_of(response)
    assert not Page.objects.exists()


# --- Workflow: the same states, review, preview and redirects as every content type ---


def test_drafts_answer_404_to_readers_and_staff_preview_them():
    page = make_page(segment="about", status=Status.DRAFT)
    assert Client().get("/about/").status_code == 404
    response = as_user(make_role_user(AUTHOR)).get("/about/")
    assert response.status_code == 200
    assert "Preview: readers cannot see this page" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    page.status = Status.PUBLISHED
    page.save()
    assert Client().get("/about/").status_code == 200


def test_a_scheduled_page_is_hidden_until_its_time():
    make_page(segment="soon", published_at=timezone.now() + timedelta(hours=1))
    assert Client().get("/soon/").status_code == 404


def test_an_unpublished_page_answers_gone():
    page = make_page(segment="old-notice")
    page.status = Status.UNPUBLISHED
    page.save()
    assert Client().get("/old-notice/").status_code == 410


def test_a_page_is_written_submitted_reviewed_and_published_in_the_admin():
    author, reviewer, publisher = make_role_user(AUTHOR), make_reviewer(), make_role_user(PUBLISHER)
    client = as_user(author)
    url = reverse("admin:pages_page_add")
    data = {
        **form_data(client, url),
        "title": "Medical review",
        "segment": "medical-review",
        "summary": "How we check pages.",
        "body": "<p>Every page is checked.</p><script>alert(1)</script>",
    }
    client.post(url, {**data, "_workflow": Status.IN_REVIEW})
    page = Page.objects.get()
    assert (page.status, page.body) == (Status.IN_REVIEW, "<p>Every page is checked.</p>")
    as_user(reviewer).post(
        admin_url(page, "change"),
        {
            **form_data(as_user(reviewer), admin_url(page, "change")),
            "_workflow": "mark_reviewed",
            "references_checked": "on",
        },
    )
    publisher_client = as_user(publisher)
    publisher_client.post(
        admin_url(page, "change"),
        {**form_data(publisher_client, admin_url(page, "change")), "_workflow": Status.PUBLISHED},
    )
    page.refresh_from_db()
    assert (page.status, page.reviewed_by) == (Status.PUBLISHED, reviewer)
    assert Client().get("/medical-review/").status_code == 200


def test_an_edit_to_a_published_page_waits_for_review():
    author = make_role_user(AUTHOR)
    page = make_page(segment="about", author=author, body="<p>Reviewed words.</p>")
    sign_off(page)
    client = as_user(author)
    url = admin_url(page, "change")
    client.post(url, {**form_data(client, url), "body": "<p>New words.</p>"})
    assert open_change(page) is not None and PendingChange.objects.count() == 1
    html = Client().get("/about/").content.decode()
    assert "Reviewed words." in html and "New words." not in html
    preview = client.get(admin_url(page, "changes_preview"))
    assert "New words." in preview.content.decode()


def test_pages_are_searchable_once_published(commit):
    with commit():
        page = make_page(title="Corrections", segment="corrections", body="<p>How we fix mistakes.</p>")
        make_page(title="Secret draft", segment="secret", status=Status.DRAFT, body="<p>mistakes</p>")
    entry = SearchEntry.objects.get(kind=Kind.PAGE)
    assert (entry.object_id, entry.get_absolute_url()) == (page.pk, "/corrections/")
    html = Client().get("/search/?q=mistakes").content.decode()
    assert 'href="/corrections/"' in html and "Secret draft" not in html
    with commit():
        page.status = Status.UNPUBLISHED
        page.save()
    assert not SearchEntry.objects.filter(kind=Kind.PAGE).exists()


# --- Navigation ---


def test_header_and_footer_links_come_from_published_marked_pages():
    make_page(title="About us", segment="about", show_in_header=True, show_in_footer=True, nav_label="About")
    make_page(title="Privacy", segment="privacy", show_in_footer=True, nav_order=2)
    make_page(title="Corrections", segment="corrections", show_in_footer=True, nav_order=1)
    make_page(title="Draft notice", segment="draft-notice", show_in_footer=True, status=Status.DRAFT)
    make_page(title="Not linked", segment="not-linked")
    html = Client().get("/drugs/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/about/">About</a>' in header and "Privacy" not in header
    assert footer.index('href="/about/"') < footer.index('href="/corrections/"') < footer.index('href="/privacy/"')
    assert "Draft notice" not in html and "Not linked" not in html


def test_navigation_is_one_kept_query_forgotten_when_a_page_changes(django_assert_num_queries):
    page = make_page(title="About us", segment="about", show_in_footer=True)
    with django_assert_num_queries(1):
        assert [link.label for link in site_navigation().footer] == ["About us"]
    with django_assert_num_queries(0):
        assert [link.label for link in site_navigation().footer] == ["About us"]
    page.nav_label = "About"
    page.save()
    with django_assert_num_queries(1):
        assert [link.label for link in site_navigation().footer] == ["About"]


def test_a_scheduled_navigation_page_joins_the_links_at_its_time(monkeypatch):
    soon = timezone.now() + timedelta(minutes=5)
    make_page(title="Coming", segment="coming", show_in_header=True, published_at=soon)
    assert site_navigation().header == []
    monkeypatch.setattr("pages.navigation.timezone.now", lambda: soon + timedelta(seconds=1))
    assert [link.label for link in site_navigation().header] == ["Coming"]


def test_signed_in_requests_never_keep_the_navigation(django_assert_num_queries):
    make_page(title="About us", segment="about", show_in_footer=True)
    as_user(make_role_user(AUTHOR)).get("/drugs/")
    with django_assert_num_queries(1):  # nothing kept by the signed-in request
        site_navigation()
    with django_assert_num_queries(0):
        site_navigation()


# --- Sitemap and roles ---


def test_published_pages_are_in_the_sitemap():
    about = make_page(segment="about")
    make_page(segment="policy", parent=about)
    make_page(segment="hidden", status=Status.DRAFT)
    xml = Client().get("/sitemap-site-pages.xml").content.decode()
    assert "/about/</loc>" in xml and "/about/policy/</loc>" in xml and "/hidden/" not in xml
    assert "sitemap-site-pages.xml" in Client().get("/sitemap.xml").content.decode()


def test_the_roles_cover_pages_from_the_registry():
    from django.contrib.auth.models import Group

    perms = {
        group.name: set(group.permissions.filter(content_type__app_label="pages").values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert perms["Author"] == {"add_page", "change_page", "view_page"}
    assert perms["Medical reviewer"] == {"change_page", "view_page", "review_page"}
    assert perms["Publisher"] == {"add_page", "change_page", "delete_page", "view_page", "publish_page"}


def test_the_publishing_contract_holds_for_pages():
    from publishing.checks import contract_errors

    assert contract_errors(Page) == []


# --- The page cache ---


def cache_state(url) -> str | None:
    return Client().get(url).get("X-Page-Cache")


def test_a_navigation_change_expires_every_cached_page_and_a_body_edit_only_its_own(page_cache, commit):
    with commit():
        about = make_page(title="About us", segment="about", show_in_footer=True)
        other = make_page(title="Privacy", segment="privacy")
    for url in ("/drugs/", "/about/", "/privacy/"):
        cache_state(url)
        assert cache_state(url) == "hit", url
    with commit():
        other.body = "<p>New privacy text.</p>"
        other.save()
    assert cache_state("/drugs/") == "hit"
    assert cache_state("/privacy/") == "miss"
    with commit():
        about.nav_label = "Who we are"
        about.save()
    response = Client().get("/drugs/")
    assert response["X-Page-Cache"] == "miss"
    assert '<a href="/about/">Who we are</a>' in response.content.decode()


def test_a_page_shows_its_featured_and_body_images_and_names_the_image_for_link_previews():
    featured = make_image(alt_text="Our newsroom", caption="The team at work", credit="Photo: medsite")
    in_body = make_image(alt_text="Review flow chart")
    page = make_page(
        title="How we review", featured_image=featured, body=f'<p>Steps.</p><img data-image="{in_body.pk}" alt="">'
    )

    response = Client().get(page.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<picture>") == 2
    assert 'alt="Our newsroom"' in html and 'loading="eager"' in html
    assert "The team at work" in html and 'alt="Review flow chart"' in html
    assert 'data-image="' not in html
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html)
    assert og_image and og_image.group(1).startswith("http://testserver/media/images/")
    data = [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    web_page = next(block for block in data if block["@type"] == "WebPage")
    assert web_page["name"] == "How we review"
    assert web_page["image"]["url"] == og_image.group(1)
    assert web_page["image"]["creditText"] == "Photo: medsite"


def test_a_page_without_a_featured_image_names_none():
    html = Client().get(make_page(title="Contact").get_absolute_url()).content.decode()
    assert "<picture>" not in html and 'property="og:image"' not in html
    assert '"image"' not in html
