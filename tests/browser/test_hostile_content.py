"""Script payloads in every field readers or editors see stay text: no dialog, no console error, no script runs."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.pages import log_in, visit

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
JS_LINK = "javascript:alert(1)"
PAYLOADS = [SCRIPT, IMG, SVG, JS_LINK]
TITLE = f"Hostile {SCRIPT} {IMG} {SVG}"
CATEGORY = f"Category {SVG} {SCRIPT}"
TAGS = [f"tag {IMG}", f"tag {SVG}", f"tag {SCRIPT}", f"tag {JS_LINK}"]
BODY = (
    f"<h2>Heading {SVG}</h2><p>{SCRIPT}{IMG}<a href='{JS_LINK}'>a javascript link</a></p>"
    f"<p onclick='alert(1)' onmouseover='alert(1)'>hover here</p>{SVG}<iframe src='{JS_LINK}'></iframe>"
)


@pytest.fixture
def hostile_article(transactional_db):
    from taggit.models import Tag

    from tests.factories import make_article, make_category, make_reference

    category = make_category(name=CATEGORY, slug="hostile-category")
    article = make_article(
        title=TITLE, slug="hostile", summary=f"Summary {' '.join(PAYLOADS)}", body=BODY, category=category, tags=TAGS
    )
    make_reference(article, title=f"Reference {SCRIPT} {SVG}", publisher=IMG)
    article.tag_slugs = [tag.slug for tag in Tag.objects.filter(name__in=TAGS)]
    return article


def show_everything(page):
    """Hover and click what an injected handler would hang on; links with a javascript: address must not exist."""
    assert page.locator("a[href^='javascript' i], [onerror], [onload], [onclick], [onmouseover]").count() == 0
    page.mouse.move(10, 10)
    for text in (
        page.get_by_text("hover here").filter(visible=True).all()
        + page.get_by_text("a javascript link").filter(visible=True).all()
    ):
        text.hover()
        text.click()


def public_addresses(article) -> list[str]:
    searches = [*PAYLOADS, "Hostile", f"Hostile {SCRIPT}", f"{SVG} alert"]
    return [
        "/",
        article.get_absolute_url(),
        "/category/",
        "/category/hostile-category/",
        "/tag/",
        *(f"/tag/{slug}/" for slug in article.tag_slugs),
        *(f"/search/?q={quote(query)}" for query in searches),
    ]


def test_public_pages_show_payloads_as_text(hostile_article, desktop_page, live_server):
    page = desktop_page
    for address in public_addresses(hostile_article):
        visit(page, live_server.url + address)
        show_everything(page)
        assert page.evaluate("document.querySelectorAll('main script, main svg, main iframe, main img').length") == 0
    visit(page, live_server.url + hostile_article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".article__category")).to_have_text(CATEGORY)
    page.watch.assert_quiet()


def test_feed_carries_payloads_escaped(hostile_article, desktop_page, live_server):
    # Chromium downloads RSS rather than rendering it, so read the feed as text.
    feed = desktop_page.request.get(f"{live_server.url}/feeds/latest/").text()
    assert "Hostile &lt;script&gt;alert(1)&lt;/script&gt;" in feed
    assert "<script" not in feed and "<svg" not in feed and "<img" not in feed


def test_admin_pages_show_payloads_as_text(hostile_article, desktop_page, live_server):
    from tests.factories import make_user

    admin = make_user(is_staff=True, is_superuser=True)
    page = desktop_page
    log_in(page, live_server.url, admin.username, admin.raw_password)
    addresses = [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{hostile_article.pk}/change/",
        f"/admin/articles/article/{hostile_article.pk}/history/",
        "/admin/articles/category/",
        f"/admin/articles/category/{hostile_article.category_id}/change/",
        "/admin/taggit/tag/",
    ]
    for address in addresses:
        visit(page, live_server.url + address)
        show_everything(page)
    visit(page, f"{live_server.url}/admin/articles/article/{hostile_article.pk}/change/")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator(".field-tags .select2-selection__choice")).to_have_count(len(TAGS))
    page.watch.assert_quiet()


def test_the_watch_sees_a_script_that_runs(desktop_page):
    desktop_page.set_content(f"<p>{IMG}</p><script>console.error('boom')</script>")
    desktop_page.wait_for_timeout(200)
    assert any("alert" in dialog for dialog in desktop_page.watch.dialogs)
    assert any("boom" in error for error in desktop_page.watch.console_errors)
