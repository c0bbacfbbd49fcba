"""An editorial day, walked in the browser by the demo's author, medical reviewer and publisher.

A new article is written, submitted, found in the review queue, signed off,
scheduled, and appears to readers at its time. An edit to a reviewed live
article stays invisible to readers until a second reviewer signs it off and a
publisher publishes it. The admin pages this adds pass axe with nothing
serious, and each step is photographed into test-artifacts/screenshots/.
"""

import time
from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

TITLE = "Azathioprine and blood tests"
BLOCKING_IMPACTS = {"serious", "critical"}


def serious_axe_problems(page, *regions) -> list[str]:
    """Serious axe findings on the page, or only in ``regions`` (selectors of the parts this project adds)."""
    context = {"include": [[region] for region in regions]} if regions else None
    violations = Axe().run(page, context=context).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}) at " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def press(page, label, message):
    page.get_by_role("button", name=label).click()
    expect(page.locator(".messagelist")).to_contain_text(message)


def open_article(page, base, title):
    page.goto(f"{base}/admin/articles/article/?q={title.split()[0]}")
    page.get_by_role("link", name=title, exact=True).click()


def test_a_new_article_is_reviewed_scheduled_and_appears_on_time(people, live_server, desktop_page, screenshots):
    from django.utils import timezone

    base = live_server.url
    author, reviewer, publisher = people["author"], people["reviewer"], people["publisher"]

    author.goto(f"{base}/admin/articles/article/add/")
    author.locator("fieldset.module").first.get_by_label("Title:").fill(TITLE)
    author.locator("fieldset.module").first.get_by_label("Summary:").fill("Why regular blood tests matter.")
    author.locator(".field-body [contenteditable=true]").click()
    author.keyboard.type("Your care team checks your blood counts while you take azathioprine.")
    author.locator(".field-category .select2-selection").click()
    author.locator(".select2-container--open .select2-search__field").last.fill("Pain")
    author.locator(".select2-results__option", has_text="Pain Relief").click()
    author.get_by_role("button", name="Save and continue editing").click()
    expect(author.locator(".messagelist")).to_contain_text("was added successfully")
    expect(author.locator(".workflow-notes")).to_contain_text("A publisher publishes the page")
    press(author, "Save and submit for review", "Now in review")

    reviewer.goto(f"{base}/admin/review-queue/")
    queue = reviewer.locator("#waiting-for-review")
    expect(queue).to_contain_text(TITLE)
    assert serious_axe_problems(reviewer) == []
    queue.get_by_role("link", name=TITLE).click()
    reviewer.get_by_label("I re-checked this page's references").check()
    press(reviewer, "Save and mark medically reviewed", "Marked medically reviewed")

    open_article(publisher, base, TITLE)
    # Far enough ahead that the checks of the scheduled state below finish first on a loaded machine (8 s did not
    # on a 2-core machine running two test suites at once); the reader then waits until then.
    go_live = timezone.localtime() + timedelta(seconds=25)
    publisher.locator("#id_published_at_0").fill(go_live.date().isoformat())
    publisher.locator("#id_published_at_1").fill(go_live.strftime("%H:%M:%S"))
    press(publisher, "Save and publish", "Scheduled: readers see it from")
    open_article(publisher, base, TITLE)
    expect(publisher.locator(".field-state_display")).to_contain_text("Scheduled")
    publisher.screenshot(path=screenshots / "editors-day-scheduled.png", full_page=True)
    publisher.goto(f"{base}/admin/articles/article/?state=scheduled")
    expect(publisher.locator("#result_list")).to_contain_text(TITLE)
    publisher.screenshot(path=screenshots / "editors-day-scheduled-list.png")

    reader = desktop_page
    address = f"{base}/articles/azathioprine-and-blood-tests/"
    assert reader.goto(address).status == 404
    while timezone.localtime() < go_live:
        time.sleep(0.5)
    assert reader.goto(address).status == 200
    expect(reader.locator("h1")).to_have_text(TITLE)
    for page in [author, reviewer, publisher]:
        page.watch.assert_quiet()


def test_an_edit_to_a_reviewed_live_article_waits_for_review(people, live_server, desktop_page, screenshots):
    from articles.models import Article

    base = live_server.url
    reviewer, publisher = people["reviewer"], people["publisher"]
    live = Article.objects.published().order_by("pk").first()
    reader = desktop_page
    reader.goto(f"{base}{live.get_absolute_url()}")
    summary_before = live.summary
    added = " Ask your pharmacist if you are unsure."

    open_article(publisher, base, live.title)
    summary = publisher.locator("fieldset.module").first.get_by_label("Summary:")
    summary.fill(summary_before + added)
    publisher.get_by_role("button", name="Save and continue editing").click()
    expect(publisher.locator("#pending-changes")).to_contain_text("Changes waiting for review")
    expect(publisher.locator(".workflow-notes")).to_contain_text("a medical reviewer must sign them off")
    publisher.screenshot(path=screenshots / "editors-day-pending-changes.png", full_page=True)
    assert serious_axe_problems(publisher, "#pending-changes", "#workflow-bar", "#header") == []
    reader.reload()
    expect(reader.locator("body")).not_to_contain_text(added.strip())
    press(publisher, "Save and submit changes for review", "waiting for medical review")

    reviewer.goto(f"{base}/admin/review-queue/")
    reviewer.locator("#waiting-for-review").get_by_role("link", name=live.title).click()
    expect(reviewer.locator(".workflow-diff ins")).to_contain_text("pharmacist")
    reviewer.screenshot(path=screenshots / "editors-day-changes-diff.png", full_page=True)
    assert serious_axe_problems(reviewer) == []
    reviewer.get_by_role("link", name="Back to the page").click()
    reviewer.get_by_label("I re-checked this page's references").check()
    press(reviewer, "Save and mark changes medically reviewed", "signed off")

    reader.reload()
    expect(reader.locator("body")).not_to_contain_text(added.strip())
    publisher.reload()
    press(publisher, "Save and publish changes", "readers see them now")
    reader.reload()
    expect(reader.locator("body")).to_contain_text(added.strip())
    expect(reader.locator(".review-byline")).to_contain_text("Medically reviewed by")
    for page in [reviewer, publisher]:
        page.watch.assert_quiet()
