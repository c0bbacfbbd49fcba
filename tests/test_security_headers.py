"""Response headers: a Content Security Policy with no inline script on reader pages, cached or not, and the rest."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import (
    make_article,
    make_condition,
    make_drug_class,
    make_drug_use,
    make_published_drug,
    make_staff,
)

pytestmark = pytest.mark.django_db

# Script types a browser treats as data, never runs.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
SEARCH_URL = "/search/?q=azathioprine"
OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


class InlineCode(HTMLParser):
    """Collects what a page runs or styles inline: script elements without src, style elements and attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.style_attributes, self.handlers = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self._in = ("script", attributes)
        elif tag == "style":
            self._in = ("style", attributes)
        if "style" in attributes:
            self.style_attributes.append((tag, attributes["style"]))
        self.handlers += [name for name in attributes if name.startswith("on")]

    def handle_data(self, data):
        if self._in:
            kind, attributes = self._in
            (self.scripts if kind == "script" else self.styles).append((attributes, data))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture
def public_urls(commit):
    """One address of every kind of reader page, with the search index written as after a real save."""
    with commit():
        drug_class, condition = make_drug_class(), make_condition()
        drug = make_published_drug(generic_name="azathioprine")
        drug.classes.add(drug_class)
        make_drug_use(drug, condition=condition)
        article = make_article(title="Azathioprine basics", tags=["Azathioprine"], drugs=[drug])
    return [
        "/",
        article.get_absolute_url(),
        reverse("articles:category-index"),
        article.category.get_absolute_url(),
        reverse("articles:tag-index"),
        "/tag/azathioprine/",
        reverse("drugs:index"),
        drug.get_absolute_url(),
        drug_class.get_absolute_url(),
        condition.get_absolute_url(),
        reverse("drugs:interactions"),
        SEARCH_URL,
        "/feeds/latest/",
        "/robots.txt",
        "/sitemap.xml",
    ]


def assert_strict_reader_policy(response, url):
    directives = policy(response)
    assert directives["script-src"] == ["'self'"], url
    assert directives["default-src"] == ["'self'"], url
    assert directives["object-src"] == ["'none'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert directives["base-uri"] == ["'self'"], url
    assert "'unsafe-inline'" not in directives["style-src"], url
    assert "nonce-" not in response["Content-Security-Policy"], url


def test_every_reader_page_has_a_policy_without_inline_script(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_reader_policy(response, url)


def test_reader_pages_have_no_inline_script_style_or_handlers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        found = inline_code(response)
        assert found.scripts == [], url
        assert found.styles == [] and found.style_attributes == [], url
        assert found.handlers == [], url
        assert "nonce=" not in response.content.decode(), url
    # The results page was checked with its results on it: the drug and the article.
    assert len(client.get(SEARCH_URL).context["outcome"].hits) == 2


def test_pages_from_the_page_cache_carry_the_same_headers(client, page_cache, public_urls):
    for url in ["/", public_urls[1], "/tag/azathioprine/", "/drugs/"]:
        first = client.get(url)
        again = client.get(url)
        assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit"), url
        assert again["Content-Security-Policy"] == first["Content-Security-Policy"], url
        assert_strict_reader_policy(again, url)
        for name, value in OTHER_HEADERS.items():
            assert again[name] == value, (url, name)


def test_a_page_stored_under_an_older_policy_is_never_served(client, page_cache, settings):
    # Stored pages keep their headers, so a changed policy (a deploy) must send readers to freshly rendered pages.
    article = make_article()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "https://images.example"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    fresh = client.get(article.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss"
    assert policy(fresh)["img-src"] == ["'self'", "https://images.example"]
    again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert policy(again)["img-src"] == ["'self'", "https://images.example"]


def test_reader_pages_carry_the_other_protective_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        for name, value in OTHER_HEADERS.items():
            assert response[name] == value, (url, name)


def test_https_responses_carry_hsts_where_production_sets_it(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_not_found_pages_carry_the_policy_too(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert_strict_reader_policy(response, "404")


def test_the_outage_page_style_is_allowed_by_its_hash(monkeypatch):
    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    styles = inline_code(response).styles
    assert styles, "the outage page has its own inline style"
    style_sources = policy(response)["style-src"]
    for _, css in styles:
        assert sha256_source(css) in style_sources
    assert policy(response)["script-src"] == ["'self'"]


def test_the_error_page_style_matches_the_allowed_hash(rf, settings):
    from ops.views import server_error

    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    styles = [css for _, css in inline_code(response).styles]
    assert styles and all(sha256_source(css) == settings.ERROR_PAGE_STYLE_HASH for css in styles)


# The admin


def test_the_admin_sign_in_page_has_a_policy_and_no_inline_script(client):
    response = client.get(reverse("two_factor:login"))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]  # no page here needed a nonce
    assert directives["frame-ancestors"] == ["'none'"]
    assert inline_code(response).scripts == []


def revision_page_url() -> str:
    """The page that restores an article's saved revision (django-reversion's own form template)."""
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        article = make_article()
    version = Version.objects.get_for_object(article).get()
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


@pytest.mark.parametrize("form", ["add", "revision"])
def test_article_forms_run_only_scripts_carrying_this_responses_nonce(editor_client, form):
    url = reverse("admin:articles_article_add") if form == "add" else revision_page_url()
    first, second = editor_client.get(url), editor_client.get(url)
    assert first.status_code == 200

    nonces = []
    for response in (first, second):
        script_sources = policy(response)["script-src"]
        assert "'unsafe-inline'" not in script_sources
        nonce = next(source for source in script_sources if source.startswith("'nonce-"))[len("'nonce-") : -1]
        inline_scripts = inline_code(response).scripts
        assert inline_scripts, "the editor's import map is inline"
        assert all(attributes.get("nonce") == nonce for attributes, _ in inline_scripts)
        assert any(attributes.get("type") == "importmap" for attributes, _ in inline_scripts)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "private" in first["Cache-Control"] or first.get("X-Page-Cache") is None


def test_the_presence_script_is_a_static_file_given_its_settings_on_its_tag(editor_client):
    article = make_article()
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    tag = re.search(r'<script src="[^"]*workflow/presence\.js"[^>]*>', html)
    assert tag, "the change page loads workflow/presence.js"
    presence_url = reverse("admin:articles_article_presence", args=[article.pk])
    assert f'data-presence-url="{presence_url}"' in tag.group(0)
    assert re.search(r'data-heartbeat-seconds="\d+"', tag.group(0))
    assert all(attributes.get("type") == "importmap" for attributes, _ in inline_code(response).scripts)


def test_admin_lists_need_no_nonce(editor_client):
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert policy(response)["script-src"] == ["'self'"]
    assert inline_code(response).scripts == []


def test_staff_see_reader_pages_under_the_strict_policy(client):
    client.force_login(make_staff())
    article = make_article()
    assert_strict_reader_policy(client.get(article.get_absolute_url()), "staff view of an article")
