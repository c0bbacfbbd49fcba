"""The body editor's own tools in a real browser: a Word paste keeps its structure, the link chooser finds our pages.

Both run under the admin's Content Security Policy: a refused script or style would be a console error, which
fails the test.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.pages import DESKTOP, log_in, open_watched_page
from tests.browser.test_editor_journey import pick_from_autocomplete

WORD = (Path(__file__).resolve().parents[1] / "clipboard" / "word.html").read_text()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASTE = """
([selector, html]) => {
  const target = document.querySelector(selector)
  target.focus()
  const data = new DataTransfer()
  data.setData("text/html", html)
  data.setData("text/plain", "pasted")
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}))
}
"""


@pytest.fixture
def author(demo, browser, live_server):
    page = open_watched_page(browser, DESKTOP)
    log_in(page, live_server.url, "author", "medsite-demo-author")
    yield page
    page.context.close()


def start_article(page, base_url, title):
    page.goto(f"{base_url}/admin/articles/article/add/")
    main_fields = page.locator("fieldset.module").first
    main_fields.get_by_label("Title:").fill(title)
    main_fields.get_by_label("Summary:").fill("What the leaflet says about azathioprine.")
    return page.locator(".field-body [contenteditable=true]")


def test_a_word_paste_keeps_headings_lists_and_tables_when_saved(author, live_server):
    from articles.models import Article

    editor = start_article(author, live_server.url, "Pasted from Word")
    editor.click()
    author.evaluate(PASTE, [".field-body [contenteditable=true]", WORD])
    expect(editor.locator("h2")).to_have_text("Taking azathioprine")
    expect(editor.locator("ul li")).to_have_count(3)  # two items, one of them with a nested item
    expect(editor.locator("table tr")).to_have_count(2)
    pick_from_autocomplete(author, author.locator(".field-category .select2-selection"), "Pain", "Pain Relief")
    author.get_by_role("button", name="Save and continue editing").click()
    expect(author.locator(".messagelist")).to_contain_text("was added successfully")

    body = Article.objects.get(title="Pasted from Word").body
    assert "<h2>Taking azathioprine</h2>" in body
    assert "<h3>Missed doses</h3>" in body
    assert "<li><p>Word fake bullet one</p><ul><li><p>Nested point</p></li></ul></li>" in body
    assert "<ol><li><p>Call your doctor</p></li><li><p>Take the next dose</p></li></ol>" in body
    assert body.count("<tr>") == 2 and "350 mg" in body
    assert "·" not in body and "mso" not in body.lower()
    author.watch.assert_quiet()


def test_the_link_chooser_links_to_one_of_our_drug_pages(author, live_server):
    editor = start_article(author, live_server.url, "Linked article")
    editor.click()
    author.keyboard.type("Read about azathioprine")
    author.keyboard.press("Shift+Home")
    author.get_by_role("button", name="insert link").click()
    dialog = author.locator("dialog[open]")
    dialog.get_by_role("button", name="Find a page on this site").click()
    dialog.get_by_label("Find one of our pages by title").fill("azathio")
    dialog.get_by_role("button", name="azathioprine (Drug, published)").click()
    expect(dialog.get_by_label("URL")).to_have_value("/drugs/azathioprine/")
    dialog.get_by_role("button", name="Update").click()
    expect(editor.locator('a[href="/drugs/azathioprine/"]')).to_have_text("Read about azathioprine")
    author.watch.assert_quiet()


def test_screenshot_of_the_search_preview_and_the_editor_toolbar(author, live_server):
    editor = start_article(author, live_server.url, "Taking azathioprine with food")
    editor.click()
    author.keyboard.type("Take it with food.")
    author.get_by_label("Search description:").fill("When to take azathioprine, what to eat with it, missed doses.")
    preview = author.locator(".search-preview__title")
    expect(preview).to_contain_text("Taking azathioprine with food")
    expect(author.locator(".search-preview__address")).to_contain_text("/articles/")
    expect(author.locator("#id_meta_description_length")).to_contain_text("of about 155 characters")
    toolbar = author.locator(".field-body .prose-menubar")
    expect(toolbar).to_be_visible()
    assert editor.evaluate("el => getComputedStyle(el).overflowY") == "auto"
    ARTIFACTS.mkdir(exist_ok=True)
    author.locator(".field-body").scroll_into_view_if_needed()
    author.set_viewport_size({"width": 1280, "height": 1500})
    author.locator("fieldset.module").first.scroll_into_view_if_needed()
    author.screenshot(path=str(ARTIFACTS / "article-form-search-preview.png"), full_page=False)
    author.watch.assert_quiet()


@pytest.fixture
def broken_links(demo):
    """Two broken links used on six demo pages each, one with a long address, as the link checker leaves them."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from articles.models import Article
    from linkcheck.models import LinkCheck, LinkState, LinkUse

    articles = list(Article.objects.order_by("pk")[:6])
    assert len(articles) == 6
    long_address = "https://www.example.org/guidance/immunosuppressants/" + "azathioprine-monitoring-" * 8 + "final.pdf"
    for url, status in [(long_address, 404), ("https://example.com/gone", 410)]:
        link = LinkCheck.objects.create(
            url=url, state=LinkState.BROKEN, status_code=status, error=f"HTTP {status}",
            first_broken_at=timezone.now(), last_checked_at=timezone.now(),
        )  # fmt: skip
        for article in articles:
            LinkUse.objects.create(
                link=link, content_type=ContentType.objects.get_for_model(Article), object_id=article.pk,
                where=LinkUse.Where.BODY, page_title=article.title,
            )  # fmt: skip


def test_a_reviewer_follows_the_review_queue_to_the_broken_links_report_which_fits_the_screen(
    broken_links, people, live_server, screenshots
):
    reviewer = people["reviewer"]
    reviewer.goto(f"{live_server.url}/admin/review-queue/")
    reviewer.get_by_role("link", name="broken-links report").click()
    expect(reviewer.locator("h1")).to_have_text("Select broken link to view")
    expect(reviewer.locator("#result_list tbody tr")).to_have_count(2)
    reviewer.screenshot(path=screenshots / "broken-links-report.png", full_page=True)
    # The admin scrolls a wide result table inside its box, so the table's own right edge is what must fit.
    overflow = reviewer.evaluate("document.querySelector('#result_list').getBoundingClientRect().right - innerWidth")
    assert overflow <= 0, f"the report runs {overflow}px past the right of a {DESKTOP['width']}px window"
    # However many pages use a link, its row names three and counts the rest, so rows stay a few lines tall.
    expect(reviewer.locator("#result_list tbody tr").first).to_contain_text("and 3 more")
    row_heights = reviewer.locator("#result_list tbody tr").evaluate_all("rows => rows.map(r => r.offsetHeight)")
    assert max(row_heights) < 240, row_heights
