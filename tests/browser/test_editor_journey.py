"""An article goes from an author's keyboard through medical review to publication, all in the admin.

Three people, three browser contexts: the author writes and files a draft,
previews it and submits it; a medical reviewer signs it off; a publisher
publishes it. A reader then finds it with its formatting intact.
"""

import re

from playwright.sync_api import expect

TITLE = "Taking azathioprine at the right time"
NEW_TAG = "Dose timing"
LEAFLET = "https://example.org/azathioprine-leaflet"


def write_body(page):
    """Type the body as a person would: a heading from the block menu, bold by keyboard, a list and a link."""
    editor = page.locator(".field-body [contenteditable=true]")
    editor.click()
    page.locator(".field-body .prose-menubar__selected").click()
    page.get_by_role("button", name="Heading 2").click()
    page.keyboard.type("When to take it")
    page.keyboard.press("Enter")
    page.keyboard.type("Take it with food. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Never take a double dose")
    page.keyboard.press("Control+b")
    page.keyboard.type(" to make up for a missed one.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="unordered list").click()
    page.keyboard.type("Morning: with breakfast")
    page.keyboard.press("Enter")
    page.keyboard.type("Evening: with dinner")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the leaflet")
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name="insert link").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill(LEAFLET)
    dialog.get_by_role("button", name="Update").click()
    expect(editor.locator("h2")).to_have_text("When to take it")
    expect(editor.locator("ul li")).to_have_count(2)


def pick_from_autocomplete(page, box, typed, option):
    box.click()
    page.locator(".select2-container--open .select2-search__field").last.fill(typed)
    # Wait for the answer to what was typed: a click on the list the box showed before it lands on nothing.
    expect(page.locator(".select2-results__option.loading-results")).to_have_count(0)
    page.locator(".select2-results__option", has_text=re.compile(f"^{re.escape(option)}$")).click()
    expect(box).to_contain_text(option)


def file_the_article(page):
    category_box = page.locator(".field-category .select2-selection")
    pick_from_autocomplete(page, category_box, "Pain", "Pain Relief")
    tags_box = page.locator(".field-tags .select2-selection")
    tags_box.click()
    search = page.locator(".field-tags .select2-search__field")
    search.press_sequentially("Azathio")
    page.locator(".select2-results__option", has_text=re.compile("^Azathioprine$")).click()
    search.press_sequentially(NEW_TAG)
    page.locator(".select2-results__option", has_text=re.compile(f"^{NEW_TAG}$")).click()
    expect(page.locator(".field-tags .select2-selection__choice")).to_have_count(2)


def open_in_admin(page, base_url):
    page.goto(f"{base_url}/admin/articles/article/")
    page.get_by_role("link", name=TITLE, exact=True).click()


def press_workflow_button(page, label, message):
    page.get_by_role("button", name=label).click()
    expect(page.locator(".messagelist")).to_contain_text(message)


def test_article_goes_from_draft_to_the_public_site(people, live_server, desktop_page):
    base = live_server.url
    author, reviewer, publisher = people["author"], people["reviewer"], people["publisher"]

    author.goto(f"{base}/admin/articles/article/add/")
    main_fields = author.locator("fieldset.module").first
    main_fields.get_by_label("Title:").fill(TITLE)
    main_fields.get_by_label("Summary:").fill("Why the time of day and food matter with azathioprine.")
    write_body(author)
    file_the_article(author)
    expect(author.locator(".field-state_display .readonly")).to_have_text("Draft (new)")
    author.get_by_role("button", name="Save and continue editing").click()
    expect(author.locator(".messagelist")).to_contain_text("was added successfully")

    with author.context.expect_page() as preview_opened:
        author.get_by_role("link", name="View on site").click(modifiers=["Shift"])
    preview = preview_opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview")
    expect(preview.locator(".article__body h2")).to_have_text("When to take it")
    preview.close()

    press_workflow_button(author, "Save and submit for review", "Now in review")

    open_in_admin(reviewer, base)
    reviewer.get_by_label("I re-checked this page's references").check()
    press_workflow_button(reviewer, "Save and mark medically reviewed", "Marked medically reviewed")

    open_in_admin(publisher, base)
    press_workflow_button(publisher, "Save and publish", "Published: readers see it now")

    reader = desktop_page
    reader.goto(f"{base}/")
    reader.get_by_role("link", name=TITLE).first.click()
    body = reader.locator(".article__body")
    expect(body.locator("h2")).to_have_text("When to take it")
    expect(body.locator("strong")).to_have_text("Never take a double dose")
    expect(body.locator("ul > li")).to_have_text(["Morning: with breakfast", "Evening: with dinner"])
    expect(body.get_by_role("link", name="Read the leaflet")).to_have_attribute("href", LEAFLET)
    expect(reader.locator(".article__category")).to_have_text("Pain Relief")
    tags = reader.locator("section[aria-labelledby=tags-heading]")
    expect(tags.get_by_role("link")).to_have_text(["Azathioprine", NEW_TAG])
    expect(reader.locator(".review-byline")).to_contain_text("Medically reviewed by")
    for page in [author, reviewer, publisher, reader]:
        page.watch.assert_quiet()
