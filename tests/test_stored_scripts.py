"""Stored-script holes other CMSs shipped, replayed here: markup saved once must come back inert everywhere."""

import io
import json

import pytest
import reversion
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Reference
from drugs.models import DrugReference, Interaction
from publishing.models import Status
from tests.admin_helpers import add_row, change_url, form_data, inline_errors
from tests.factories import make_article, make_category, make_published_drug, make_user
from tests.test_sanitizer_properties import problems_in

pytestmark = pytest.mark.django_db

IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
TITLE = f"</title><script>alert(1)</script>{SVG}"
RAW_MARKERS = ["<img src=x onerror", "<svg onload", "<script>alert"]
HOSTILE_LINKS = [
    '<a href="javascript:alert(1)">a</a>',
    '<a href="jav&#x09;ascript:alert(1)">b</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">c</a>',
    '<a href="vbscript:msgbox(1)">d</a>',
    '<a href="https://example.org/" class="x" onmouseover="alert(1)">e</a>',
    '<p class="x" onmouseover="alert(1)" style="color:red">f</p>',
]
INVALID_URL = "Enter a valid URL."
HOSTILE_URLS = [
    "javascript:alert(1)",
    "jav\tascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:x",
]


@pytest.fixture
def root(client):
    user = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def assert_inert(response, where=""):
    assert response.status_code < 500, where
    body = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in body, f"{marker!r} unescaped in {where or response.request['PATH_INFO']}"


@pytest.mark.parametrize("name", [IMG, SVG], ids=["img-onerror", "svg-onload"])
def test_a_hostile_tag_name_is_inert_on_every_page_that_shows_it(client, root, name):
    article = make_article(title="Azathioprine basics", tags=[name])
    tag = article.tags.get()
    pages = [
        article.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        reverse("articles:tag-index"),
        reverse("feeds:latest"),
        reverse("feeds:tag", kwargs={"slug": tag.slug}),
        reverse("feeds:tag-atom", kwargs={"slug": tag.slug}),
        reverse("admin:taggit_tag_changelist"),
        change_url(tag),
        change_url(article),
        reverse("admin:articles_article_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response, url)


@pytest.mark.parametrize("name", [IMG, SVG], ids=["img-onerror", "svg-onload"])
def test_the_tag_autocomplete_answers_hostile_names_as_json_text_never_as_html(root, name):
    make_article(tags=[name])
    response = root.get(reverse("admin:articles_article_tag_autocomplete"), {"q": "alert"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert [result["text"] for result in json.loads(response.content)["results"]] == [name]


def test_a_hostile_title_is_inert_in_lists_breadcrumbs_title_canonical_feeds_and_sitemaps(client, root, commit):
    with commit():  # the search index is written once the save commits
        category = make_category(name=f"Liver {IMG}", slug="liver")
        article = make_article(title=TITLE, slug="hostile-title", category=category, summary=f"Sum {SVG}")
    pages = [
        "/",
        article.get_absolute_url(),
        category.get_absolute_url(),
        "/category/",
        "/search/?q=alert",
        "/feeds/latest/",
        "/feeds/latest/atom/",
        "/sitemap-articles.xml",
        "/sitemap-categories.xml",
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_category_changelist"),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_delete", args=[article.pk]),
    ]
    for url in pages:
        assert_inert(client.get(url), url)
    detail = client.get(article.get_absolute_url()).content.decode()
    assert "<title>&lt;/title&gt;&lt;script&gt;" in detail
    found = client.get("/search/?q=alert")
    assert [hit.object_id for hit in found.context["outcome"].hits] == [article.pk]
    assert "&lt;/title&gt;&lt;script&gt;" in found.content.decode()


def test_admin_messages_after_save_and_delete_show_a_hostile_title_escaped(root):
    article = make_article(title="Plain", status=Status.DRAFT)
    data = {**form_data(root, change_url(article)), "title": TITLE}
    response = root.post(change_url(article), data, follow=True)
    assert response.status_code == 200
    saved = [str(message) for message in get_messages(response.wsgi_request)]
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode(), saved
    assert_inert(response, "the message after saving")
    response = root.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}, follow=True)
    assert not Article.objects.filter(pk=article.pk).exists()
    assert_inert(response, "the message after deleting")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_a_hostile_slug_is_refused_by_the_admin_form(root):
    data = form_data(root, reverse("admin:articles_article_add"))
    data.update(title="Hostile slug", slug=f"x{SVG}", summary="s", body="<p>b</p>", category=make_category().pk)
    response = root.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Article.objects.filter(title="Hostile slug").exists()
    assert_inert(response, "the add form shown again")


def test_rich_text_posted_straight_to_the_admin_loses_every_script_vector(client, root):
    article = make_article(title="Body test", status=Status.DRAFT)
    data = {**form_data(root, change_url(article)), "body": "".join(HOSTILE_LINKS)}
    assert root.post(change_url(article), data).status_code == 302
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    article.refresh_from_db()
    assert problems_in(article.body) == []
    assert all(letter in article.body for letter in [">a<", ">b<", ">c<", ">d<", ">e<", ">f<"]), article.body
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('class="article__body prose">', 1)[1].split("</div>", 1)[0]
    assert problems_in(body) == []


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_article_reference_refuses_a_script_address(root, url):
    article = make_article()
    data = form_data(root, change_url(article))
    add_row(data, "references", title="Source", url=url, position="0")
    response = root.post(change_url(article), data)
    assert inline_errors(response, "references") == [{"url": [INVALID_URL]}]
    assert not Reference.objects.filter(article=article).exists()
    assert_inert(response)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_drug_references_and_interaction_sources_refuse_a_script_address(root, url):
    drug = make_published_drug()
    data = form_data(root, change_url(drug))
    add_row(data, "references", title="Source", url=url, position="0")
    add_row(data, "interactions", substance="alcohol", severity="major", what_happens="x", reference_url=url)
    response = root.post(change_url(drug), data)
    assert inline_errors(response, "references") == [{"url": [INVALID_URL]}]
    assert inline_errors(response, "interactions") == [{"reference_url": [INVALID_URL]}]
    assert not DrugReference.objects.filter(drug=drug).exists()
    assert not Interaction.objects.filter(drug_a=drug).exists()
    data = form_data(root, reverse("admin:drugs_interaction_add"))
    data.update(drug_a=drug.pk, substance="alcohol", severity="major", what_happens="x", reference_url=url)
    response = root.post(reverse("admin:drugs_interaction_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"reference_url": [INVALID_URL]}
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_url_fields_refuse_script_addresses_even_outside_the_admin(url):
    article = make_article()
    for row in (
        Reference(article=article, title="t", url=url),
        DrugReference(drug=make_published_drug(), title="t", url=url),
    ):
        with pytest.raises(ValidationError):
            row.full_clean()


def test_hostile_text_on_both_sides_of_a_revision_comparison_is_inert(root):
    article = make_article(title=f"Old {IMG}", summary=f"Old {SVG}", status="draft")
    with reversion.create_revision():
        article.save()
    article.title, article.summary = f"New {SVG}", f"New {IMG} <script>alert(2)</script>"
    with reversion.create_revision():
        article.save()
    old, new = sorted(Version.objects.get_for_object(article).values_list("pk", flat=True))
    response = root.get(reverse("admin:articles_article_compare", args=[article.pk]), {"old": old, "new": new})
    assert response.status_code == 200
    assert_inert(response, "the comparison")
    assert "&lt;svg onload=alert(1)&gt;" in response.content.decode()


def test_an_import_refuses_a_hostile_slug_and_its_hostile_names_stay_inert(client, tmp_path):
    line = {
        "title": TITLE,
        "slug": "imported-hostile",
        "category": f"Cat {IMG}",
        "tags": [IMG, SVG],
        "summary": f"Summary {SVG}",
        "body": "".join(HOSTILE_LINKS),
        "author": f"Author {IMG}",
        "published_at": "2024-01-01T10:00:00+00:00",
    }
    bad = {**line, "slug": f"x{SVG}", "title": "Bad slug"}
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(each) for each in (line, bad)) + "\n")
    call_command("import_articles", str(path), "--skip-see-also", stdout=io.StringIO())
    article = Article.objects.get(slug="imported-hostile")
    assert not Article.objects.filter(title="Bad slug").exists()
    assert problems_in(article.body) == []
    tag_pages = [f"/tag/{slug}/" for slug in article.tags.values_list("slug", flat=True)]
    for url in ["/", article.get_absolute_url(), article.category.get_absolute_url(), "/tag/", *tag_pages]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response, url)
