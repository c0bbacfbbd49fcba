"""Rich text is cleaned on the way in: by sanitize_html, on Article.save and through the admin form."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from publishing.html import sanitize_html
from tests.factories import make_article, make_category, make_reviewer, sign_off_fields

DANGEROUS = {
    "script": '<p>Hi</p><script>alert("x")</script>',
    "script-upper": '<p>Hi</p><SCRIPT SRC="https://evil.example/x.js"></SCRIPT>',
    "img-onerror": '<p>Hi<img src="x" onerror="alert(1)"></p>',
    "onclick": '<p onclick="alert(1)">Hi</p>',
    "javascript-link": '<p><a href="javascript:alert(1)">Hi</a></p>',
    "javascript-upper": '<p><a href="JAVASCRIPT:alert(1)">Hi</a></p>',
    "javascript-tab-entity": '<p><a href="jav&#x09;ascript:alert(1)">Hi</a></p>',
    "javascript-newline-entity": '<p><a href="java&#10;script:alert(1)">Hi</a></p>',
    "javascript-leading-space": '<p><a href=" &#106;avascript:alert(1)">Hi</a></p>',
    "data-link": '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Hi</a></p>',
    "vbscript-link": '<p><a href="VBScript:MsgBox(1)">Hi</a></p>',
    "iframe": '<p>Hi</p><iframe src="https://evil.example/"></iframe>',
    "style": "<p>Hi</p><style>body { display: none }</style>",
    "style-attribute": '<p style="background:url(javascript:alert(1))">Hi</p>',
    "object": '<p>Hi</p><object data="https://evil.example/x.swf"></object>',
    "embed": '<p>Hi</p><embed src="https://evil.example/x.swf">',
    "form": '<p>Hi</p><form action="https://evil.example/"><input name="password"></form>',
    "svg-onload": '<p>Hi</p><svg onload="alert(1)"></svg>',
}
FORBIDDEN = re.compile(
    r"<\s*(script|iframe|style|object|embed|form|input|img|svg)\b|\bon[a-z]+\s*=|javascript:|vbscript:|data:|style=",
    re.I,
)


def assert_clean(html: str):
    assert not FORBIDDEN.search(html), html
    assert "Hi" in html, html


@pytest.mark.parametrize("dirty", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_sanitize_html_removes_dangerous_markup(dirty):
    assert_clean(sanitize_html(dirty))


def test_sanitize_html_drops_script_and_style_content():
    cleaned = sanitize_html('<p>Hi</p><script>alert("x")</script><style>p{}</style>')
    assert cleaned == "<p>Hi</p>"


def test_sanitize_html_drops_unsafe_href_but_keeps_link_text():
    cleaned = sanitize_html('<p><a href="jav&#x09;ascript:alert(1)">Hi</a></p>')
    assert "href" not in cleaned
    assert ">Hi</a>" in cleaned


ALLOWED = (
    "<h2>Uses</h2><h3>Adults</h3>"
    "<p><strong>Take</strong> it <em>with food</em>.</p>"
    "<ul><li>one</li></ul><ol><li>two</li></ol>"
    '<p><a href="https://www.fda.gov/drugs">FDA</a></p>'
)


def test_sanitize_html_keeps_allowed_markup():
    cleaned = sanitize_html(ALLOWED)
    for fragment in [
        "<h2>Uses</h2>",
        "<h3>Adults</h3>",
        "<strong>Take</strong>",
        "<em>with food</em>",
        "<ul><li>one</li></ul>",
        "<ol><li>two</li></ol>",
        'href="https://www.fda.gov/drugs"',
    ]:
        assert fragment in cleaned


def test_sanitize_html_adds_noopener_noreferrer_to_links():
    cleaned = sanitize_html('<p><a href="https://example.org/" rel="opener">x</a></p>')
    assert cleaned == '<p><a href="https://example.org/" rel="noopener noreferrer">x</a></p>'


def test_sanitize_html_turns_an_empty_editor_document_into_nothing():
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html(None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("dirty", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_article_save_stores_clean_body(dirty):
    article = make_article(body=dirty)
    article.refresh_from_db()
    assert_clean(article.body)


@pytest.mark.django_db
def test_article_save_keeps_allowed_markup():
    article = make_article(body=ALLOWED)
    article.refresh_from_db()
    assert article.body == sanitize_html(ALLOWED)
    assert "<h2>Uses</h2>" in article.body


@pytest.mark.django_db
def test_cleaning_happens_on_every_save():
    article = make_article()
    article.body = "<p>Hi</p><script>alert(1)</script>"
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


@pytest.mark.django_db
def test_admin_form_stores_and_serves_clean_body(editor_client, editor):
    category = make_category()
    dirty = "".join(DANGEROUS.values()) + ALLOWED
    response = editor_client.get(reverse("admin:articles_article_add"))
    data = {
        "title": "Sanitised",
        "slug": "sanitised",
        "summary": "A summary.",
        "body": dirty,
        "category": category.pk,
        "tags": "Liver",
        "status": "published",
        "published_at_0": "2026-01-02",
        "published_at_1": "10:00:00",
        "author": editor.pk,
        **sign_off_fields(make_reviewer()),
    }
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="sanitised")
    assert_clean(article.body)
    assert "<h2>Uses</h2>" in article.body
    page = editor_client.get(article.get_absolute_url()).content.decode()
    body = page.split('<div class="article__body prose">', 1)[1].split("</div>", 1)[0]
    assert_clean(body)
    assert 'rel="noopener noreferrer"' in body
