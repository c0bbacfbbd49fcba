"""Images on readers' pages and in the editor, in a real browser.

A demo article with a featured image and an image in its body is accessible,
valid HTML and steady (nothing moves as its images arrive) on a phone and a
desktop; an editor puts a library image into an article's body with the
editor's image button and chooser, and the article then shows it as a
``<picture>``.
"""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import visit
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_editor_journey import pick_from_autocomplete
from tests.browser.test_editor_tools import start_article
from tests.browser.test_valid_html import BROKEN_HTML, _java, nu_html_errors  # noqa: F401  # _java: a fixture

# Every layout shift since the page started (buffered), except those right after input, summed: the CLS score.
LAYOUT_SHIFT = """
() => new Promise((resolve) => {
  let score = 0
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) score += entry.value
  }).observe({type: "layout-shift", buffered: true})
  setTimeout(() => resolve(score), 500)
})
"""
IMAGE_DELAY_SECONDS = 0.4
ALL_IMAGES_LOADED = "() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)"
IMAGES_WITHOUT_SIZE = """
() => [...document.images].filter((img) => !img.getAttribute("width") || !img.getAttribute("height"))
  .map((img) => img.outerHTML.slice(0, 120))
"""


@pytest.fixture
def illustrated_article(demo):
    """A demo article with a featured image and a different library image in its body (one the body repeats
    is shown once)."""
    from articles.models import Article
    from images.templatetags.image_tags import shown_in

    candidates = Article.objects.published().exclude(featured_image=None).filter(body__contains="data-image=")
    article = next((a for a in candidates.order_by("slug") if not shown_in(a.featured_image, a.body)), None)
    assert article is not None, "the demo has no article with a featured image and a different body image"
    return article


def test_an_illustrated_article_is_accessible_and_nothing_shifts_as_its_images_load(
    illustrated_article, any_page, live_server
):
    page = any_page

    def slow_image(route):
        # As over a real network: the page is laid out before its images arrive, so missing sizes would shift it.
        time.sleep(IMAGE_DELAY_SECONDS)
        route.continue_()

    page.route("**/media/**", slow_image)
    visit(page, live_server.url + illustrated_article.get_absolute_url())
    expect(page.locator("main picture")).to_have_count(2)
    # Lazy images load once they come near the viewport: go down the page, then wait for every image.
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(ALL_IMAGES_LOADED)

    assert page.evaluate(IMAGES_WITHOUT_SIZE) == []
    score = page.evaluate(LAYOUT_SHIFT)
    assert score < 0.01, f"the layout shifted by {score:.4f} at {page.viewport_size['width']}px"
    violations = blocking_violations(Axe(), page)
    assert violations == [], "\n".join(violations)
    page.watch.assert_quiet()


def test_an_illustrated_article_is_valid_html(illustrated_article, client, tmp_path):
    response = client.get(illustrated_article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<picture>") == 2
    (tmp_path / "article.html").write_bytes(response.content)
    (tmp_path / "broken.html").write_text(BROKEN_HTML)
    errors = nu_html_errors(sorted(tmp_path.glob("*.html")))
    assert errors.pop("broken.html"), "the checker found nothing wrong with broken HTML"
    assert errors == {}


@pytest.fixture
def author(demo, browser, live_server):
    from tests.browser.pages import DESKTOP, log_in, open_watched_page

    page = open_watched_page(browser, DESKTOP)
    log_in(page, live_server.url, "author", "medsite-demo-author")
    yield page
    page.context.close()


def test_an_editor_inserts_a_library_image_and_the_article_shows_it_as_a_picture(author, live_server):
    from articles.models import Article
    from images.models import Image

    image = Image.objects.order_by("pk").first()
    assert image is not None, "the demo has no library image"
    editor = start_article(author, live_server.url, "Illustrated by the library")
    editor.click()
    author.keyboard.type("What the tablets look like.")
    author.get_by_role("button", name="insert an image from the library").click()
    dialog = author.locator("dialog[open]")
    dialog.get_by_role("button", name="Choose from the library").click()
    dialog.get_by_label("Find an image in the library").fill(image.title)
    dialog.locator(f'.image-chooser__result[data-image-id="{image.pk}"]').click()
    dialog.get_by_role("button", name="Update").click()
    expect(editor.locator(f'img[data-image="{image.pk}"]')).to_have_count(1)
    pick_from_autocomplete(author, author.locator(".field-category .select2-selection"), "Pain", "Pain Relief")
    author.get_by_role("button", name="Save and continue editing").click()
    expect(author.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get(title="Illustrated by the library")
    assert f'data-image="{image.pk}"' in article.body
    # Staff preview the draft at its address: the image as readers will get it.
    visit(author, live_server.url + article.get_absolute_url())
    picture = author.locator(".article__body picture")
    expect(picture).to_have_count(1)
    expect(picture.locator("img")).to_have_attribute("alt", image.alt)
    src = picture.locator("img").get_attribute("src")
    assert src in {rendition.url for rendition in image.renditions.all()}
    author.watch.assert_quiet()
