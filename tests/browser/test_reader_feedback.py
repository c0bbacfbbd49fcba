"""Reader feedback in a real browser: the form in a cached article page, with and without JavaScript.

Also photographs, at 1280 px, what editors see of it in the admin and the public Corrections page.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.browser.pages import DESKTOP, log_in, open_watched_page, visit
from tests.browser.test_accessibility import blocking_violations

ARTICLE = "/articles/imuran-azathioprine/"


def first_visit(browser, url) -> str | None:
    """Load ``url`` in a browser context of its own (another reader); the X-Page-Cache it got."""
    context = browser.new_context(viewport=DESKTOP)
    header = context.new_page().goto(url).header_value("x-page-cache")
    context.close()
    return header


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def reader(browser, live_server):
    page = open_watched_page(browser, DESKTOP)
    yield page
    page.context.close()


def test_the_feedback_form_works_on_a_cached_article_page(
    demo, page_cache, browser, reader, live_server, axe, screenshots
):
    from feedback.models import Feedback

    # Another reader loads the page first; this one (no browser cache of it) gets the stored copy.
    assert first_visit(browser, live_server.url + ARTICLE) == "miss"
    response = visit(reader, live_server.url + ARTICLE)
    assert response.header_value("x-page-cache") == "hit"
    form = reader.locator("#feedback")
    form.scroll_into_view_if_needed()
    assert blocking_violations(axe, reader) == []
    form.screenshot(path=screenshots / "feedback-form-1280.png")
    reader.get_by_label("Tell us more").fill("It does not say how long to wait after a live vaccine.")
    form.get_by_role("button", name="No").click()
    form.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
    assert reader.url == live_server.url + ARTICLE, "answered in place, without leaving the page"
    form.screenshot(path=screenshots / "feedback-thanks-1280.png")
    kept = Feedback.objects.get()
    assert (kept.helpful, kept.comment) == (False, "It does not say how long to wait after a live vaccine.")
    # The same reader and page token again: refused, and the reader is told why.
    reader.watch.expected_failures.add(live_server.url + "/feedback/")  # the 400 that says so
    visit(reader, live_server.url + ARTICLE)
    reader.locator("#feedback").get_by_role("button", name="Yes").click()
    reader.locator("[data-feedback-status]").filter(has_text="already answered").wait_for()
    assert Feedback.objects.count() == 1
    assert blocking_violations(axe, reader) == []
    reader.watch.assert_quiet()


def test_without_javascript_the_form_posts_and_comes_back_with_a_thank_you(demo, page_cache, browser, live_server):
    from feedback.models import Feedback

    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    url = live_server.url + "/drugs/azathioprine/"
    assert first_visit(browser, url) == "miss"
    assert page.goto(url).header_value("x-page-cache") == "hit"
    page.locator("#feedback").get_by_role("button", name="Yes").click()
    page.wait_for_url("**/drugs/azathioprine/?feedback=thanks#feedback")
    assert page.locator("#feedback [role=status]").inner_text() == "Thank you for your feedback."
    context.close()
    assert Feedback.objects.filter(helpful=True).count() == 1


def some_answers(article):
    """Answers over the last weeks, a few with comments, as a page collects them."""
    from feedback.models import Feedback

    content_type = ContentType.objects.get_for_model(article)
    now = timezone.now()
    comments = {
        0: "I could not find how long to wait after a live vaccine.",  # a "No" (see helpful= below)
        3: "Clear explanation of the blood tests, thank you.",  # a "Yes"
        7: "Too much about enzymes for me.",
    }
    rows = []
    for k in range(34):
        rows.append(
            Feedback(
                content_type=content_type,
                object_id=article.pk,
                helpful=k % 5 >= 3,
                comment=comments.get(k, ""),
                created_at=now - datetime.timedelta(days=k * 1.6),
                voter=f"demo-{k}",
            )
        )
    Feedback.objects.bulk_create(rows)


def test_editors_see_the_feedback_summary_and_readers_the_corrections(
    demo, desktop_page, live_server, axe, screenshots
):
    from articles.models import Article

    article = Article.objects.get(slug="imuran-azathioprine")
    some_answers(article)
    page = desktop_page
    visit(page, live_server.url + "/corrections/")
    assert page.get_by_role("heading", name="Corrections").is_visible()
    assert page.locator(".corrections__item").count() == 1
    assert blocking_violations(axe, page) == []
    page.screenshot(path=screenshots / "corrections-1280.png", full_page=True)

    log_in(page, live_server.url, "reviewer", "medsite-demo-reviewer")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    summary = page.locator("#feedback-summary")
    summary.scroll_into_view_if_needed()
    assert "% helpful" in summary.inner_text()
    assert summary.locator("tbody tr").count() == 8
    results = axe.run(page, context="#feedback-summary").response["violations"]
    assert [v["id"] for v in results if v["impact"] in {"serious", "critical"}] == []
    summary.screenshot(path=screenshots / "feedback-summary-admin-1280.png")
    page.get_by_role("link", name="All answers for this page").click()
    page.locator("#result_list").wait_for()
    assert page.locator("#result_list tbody tr").count() == 34
    page.screenshot(path=screenshots / "feedback-list-admin-1280.png", full_page=True)
    page.goto(f"{live_server.url}/admin/review-queue/")
    flagged = page.locator("#flagged-pages")
    assert "Imuran (azathioprine)" in flagged.inner_text() and "21 of 34 answers" in flagged.inner_text()
    page.screenshot(path=screenshots / "review-queue-1280.png", full_page=True)
    page.watch.assert_quiet()
