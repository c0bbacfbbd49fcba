"""No lost work in the admin: two editors conflict and keep both changes; text typed is kept in the browser.

Each editor has a browser context of their own (their own cookies and storage).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import DESKTOP, log_in, open_watched_page

ORIGINAL_BODY = "<p>Azathioprine is taken once a day.</p>"
AUTOSAVE_PREFIX = "medsite-autosave:"


@pytest.fixture
def article(roles):
    from publishing.models import Status
    from tests.factories import make_article

    return make_article(title="Azathioprine and food", summary="Old summary.", body=ORIGINAL_BODY, status=Status.DRAFT)


def signed_in(browser, live_server, name):
    from tests.factories import make_role_user
    from workflow.roles import PUBLISHER

    user = make_role_user(PUBLISHER, username=name.lower(), first_name=name)
    page = open_watched_page(browser, DESKTOP)
    log_in(page, live_server.url, user.username, user.raw_password)
    return page


@pytest.fixture
def alice(browser, live_server, roles):
    page = signed_in(browser, live_server, "Alice")
    yield page
    page.context.close()


@pytest.fixture
def bob(browser, live_server, roles):
    page = signed_in(browser, live_server, "Bob")
    yield page
    page.context.close()


def change_page_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def main_fields(page):
    return page.locator("fieldset.module").first


def type_at_end_of_body(page, text):
    editor = page.locator(".field-body [contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)


def save(page):
    page.get_by_role("button", name="Save and continue editing").click()


def serious_axe_violations(page, selector) -> list[str]:
    results = Axe().run(page, context=selector)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def autosaved_copy(page):
    return page.evaluate(
        """(prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix))
                                                .map((key) => JSON.parse(localStorage.getItem(key)))""",
        AUTOSAVE_PREFIX,
    )


def test_two_editors_conflict_and_keep_both_changes(alice, bob, live_server, article, screenshots):
    url = change_page_url(live_server, article)
    alice.goto(url)
    bob.goto(url)
    bob.watch.expected_failures.add(url)  # the conflict page answers 409

    main_fields(alice).get_by_label("Title:").fill("Azathioprine with food")
    main_fields(alice).get_by_label("Summary:").fill("Alice's summary.")
    save(alice)
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")

    main_fields(bob).get_by_label("Title:").fill("Taking azathioprine with food")
    type_at_end_of_body(bob, " Bob's line about food.")
    save(bob)
    conflict = bob.locator("#edit-conflict")
    expect(conflict).to_contain_text("Alice saved this page")
    expect(conflict.locator("#conflict-title legend")).to_contain_text("changed by both of you")
    expect(conflict.locator("#conflict-summary legend")).to_contain_text("only they changed it")
    expect(conflict.locator("#conflict-body legend")).to_contain_text("only you changed it")
    expect(main_fields(bob).get_by_label("Summary:")).to_have_value("Alice's summary.")
    expect(bob.get_by_label("Keep theirs")).not_to_be_checked()
    expect(bob.get_by_label(re.compile("Keep mine"))).not_to_be_checked()
    conflict.screenshot(path=screenshots / "conflict-page.png")
    assert serious_axe_violations(bob, "#edit-conflict") == []
    bob.screenshot(path=screenshots / "conflict-page-full.png", full_page=True)

    save(bob)  # again, without choosing
    expect(bob.locator("#edit-conflict")).to_contain_text("choose “Keep theirs” or “Keep mine” for Title")
    bob.locator("#edit-conflict").screenshot(path=screenshots / "conflict-page-refused.png")
    article.refresh_from_db()
    assert article.title == "Azathioprine with food" and "Bob" not in article.body

    bob.get_by_label("Keep theirs").check()
    save(bob)
    expect(bob.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.title == "Azathioprine with food"  # hers, chosen
    assert article.summary == "Alice's summary."  # hers, merged
    assert "Bob's line about food." in article.body and "taken once a day" in article.body  # his
    for page in [alice, bob]:
        page.watch.assert_quiet()


def test_typed_text_is_kept_in_the_browser_and_restored_only_when_asked(alice, live_server, article):
    url = change_page_url(live_server, article)
    alice.goto(url)
    main_fields(alice).get_by_label("Title:").fill("Azathioprine: a title typed, never saved")
    type_at_end_of_body(alice, " A sentence typed, never saved.")
    alice.wait_for_function(
        """(prefix) => Object.keys(localStorage).some((key) => key.startsWith(prefix)
                       && localStorage.getItem(key).includes("A sentence typed, never saved."))""",
        arg=AUTOSAVE_PREFIX,
    )
    [copy] = autosaved_copy(alice)
    assert copy["fields"]["title"] == "Azathioprine: a title typed, never saved"
    context = alice.context
    alice.close()  # the tab is closed (or the browser crashes) without saving

    again = context.new_page()
    again.goto(url)
    title = main_fields(again).get_by_label("Title:")
    expect(title).to_have_value("Azathioprine and food")  # never restored by itself
    restore = again.get_by_role("button", name=re.compile(r"^Restore unsaved changes from \d"))
    expect(restore).to_be_visible()
    expect(again.get_by_role("button", name="Discard")).to_be_visible()
    restore.click()
    expect(title).to_have_value("Azathioprine: a title typed, never saved")
    expect(again.locator(".field-body [contenteditable=true]")).to_contain_text("A sentence typed, never saved.")
    article.refresh_from_db()
    assert article.title == "Azathioprine and food"  # nothing was submitted

    again.get_by_role("button", name="Save", exact=True).click()  # saves, then goes to the list
    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.title == "Azathioprine: a title typed, never saved"
    assert "A sentence typed, never saved." in article.body
    again.wait_for_load_state("load")  # the list's message shows while it is parsed, before its scripts run
    assert autosaved_copy(again) == []  # cleared after the successful save


def test_leaving_a_form_with_unsaved_changes_asks_first(alice, live_server, article):
    url = change_page_url(live_server, article)
    alice.remove_listener("dialog", alice.watch._on_dialog)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    alice.on("dialog", answer)
    alice.goto(url)
    main_fields(alice).get_by_label("Title:").click()
    alice.goto(f"{live_server.url}/admin/")  # nothing typed: no question
    assert dialogs == []

    alice.goto(url)
    main_fields(alice).get_by_label("Summary:").fill("Typed and not saved.")
    alice.goto(f"{live_server.url}/admin/")
    assert dialogs == ["beforeunload"]

    alice.goto(url)
    main_fields(alice).get_by_label("Summary:").fill("Typed and saved.")
    save(alice)  # submitting the form is not leaving it
    expect(alice.locator(".messagelist")).to_contain_text("was changed successfully")
    assert dialogs == ["beforeunload"]
