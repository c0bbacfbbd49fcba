"""The editor's reading-age panel in a real browser: it follows the text as it is typed, under the admin's CSP,
and axe finds nothing serious in it. Photographed at 1280 px into test-artifacts/."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import DESKTOP, log_in, open_watched_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
JARGON = (
    "Discontinue administration immediately if gastrointestinal haemorrhage or other unanticipated "
    "complications develop following a myocardial infarction, and contact the prescribing physician, especially "
    "if you are older or take other medicines."
)


@pytest.fixture
def editor_page(demo, browser, live_server):
    page = open_watched_page(browser, DESKTOP)
    log_in(page, live_server.url, "editor", "medsite-demo-editor")
    yield page
    page.context.close()


def test_the_panel_recomputes_as_the_editor_types_and_is_accessible(editor_page, live_server):
    from articles.models import Article

    page = editor_page
    article = Article.objects.get(slug="motrin-ibuprofen")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    panel = page.locator("#readability-panel")
    expect(panel).to_be_visible()
    # Moved by the script to sit straight under the body editor.
    assert page.evaluate("document.querySelector('.field-body').nextElementSibling.id") == "readability-panel"
    smog = panel.locator('[data-readability="smog"]')
    before = float(smog.inner_text())

    # The panel reads the summary and the body together.
    page.locator("fieldset.module").first.get_by_label("Summary:").fill("A plain guide.")
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    expect(panel.locator('[data-readability="counts"]')).to_have_text("Words: 3. Sentences: 1.")
    page.keyboard.type("Take it with food. Rest if you feel sick.")
    expect(panel.locator('[data-readability="verdict"]')).to_have_text(
        "Within the target: a reading age of 11 or under."
    )
    easy = float(smog.inner_text())
    page.keyboard.press("Enter")
    page.keyboard.type(JARGON)
    expect(panel.locator('[data-readability="hints"]')).to_contain_text(
        "Instead of “myocardial infarction”, try “heart attack”."
    )
    expect(panel.locator('[data-readability="hardest"] li').first).to_contain_text("unanticipated (6 syllables)")
    expect(panel.locator('[data-readability="longest"] li.readability-panel__long mark').first).to_be_visible()
    expect(panel.locator('[data-readability="verdict"]')).to_contain_text("Above the target of 9 to 11")
    hard = float(smog.inner_text())
    assert easy < hard and easy != before

    violations = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in Axe().run(page, context="#readability-panel").response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert violations == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.getElementById('readability-panel').scrollIntoView({block: 'start'})")
    page.screenshot(path=str(ARTIFACTS / "readability-panel-1280.png"), full_page=False)
    panel.screenshot(path=str(ARTIFACTS / "readability-panel-only-1280.png"))
    page.watch.assert_quiet()
