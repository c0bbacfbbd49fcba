"""A reader finds their way from the home page to a drug and a corrected search, on a phone and on a desktop."""

import re

from playwright.sync_api import expect

from tests.browser.pages import PHONE, layout_problems, visit


def _arrive(page, heading):
    """The page now shows ``heading``; nothing on it is cut off, overlaps or raised an error."""
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert layout_problems(page) == []
    page.watch.assert_quiet()


def _follow(page, scope, link_text):
    page.locator(scope).get_by_role("link", name=link_text, exact=True).first.click()


def test_reader_goes_from_home_to_a_corrected_search(demo, any_page, live_server):
    from articles.models import Article
    from articles.related import see_also_for

    page = any_page
    article = Article.objects.get(slug="azathioprine-blood-tests")
    related = Article.objects.get(pk=see_also_for(article)[0].pk)
    drug = related.drugs.order_by("generic_name").first()

    visit(page, live_server.url + "/")
    _arrive(page, "Health and medicines")

    _follow(page, "main", "Pain Relief")
    _arrive(page, "Pain Relief")

    _follow(page, "main", "Imuran (azathioprine): uses, pharmacokinetics, side effects and precautions")
    _arrive(page, "Imuran (azathioprine)")

    _follow(page, "section[aria-labelledby=tags-heading]", "Azathioprine")
    _arrive(page, "Azathioprine")

    _follow(page, "main", article.title)
    _arrive(page, article.title)

    _follow(page, ".see-also", related.title)
    _arrive(page, related.title)

    _follow(page, ".article__drugs", drug.generic_name)
    _arrive(page, drug.generic_name.capitalize())

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Drugs A–Z").click()
    _arrive(page, "Drugs A–Z")
    drug_name = re.compile(f"^{re.escape(drug.generic_name)}$", re.I)
    expect(page.locator("main").get_by_role("link", name=drug_name)).to_be_visible()

    search_box = page.get_by_role("searchbox", name="Search articles and drugs")
    search_box.fill("azathiaprine")
    search_box.press("Enter")
    suggestion = page.locator(".search-suggestion").get_by_role("link")
    expect(suggestion).to_have_text(re.compile("azathioprine", re.I))
    _arrive(page, "Search")

    suggestion.click()
    expect(page).to_have_url(re.compile(r"q=azathioprine", re.I))
    expect(page.locator("main").get_by_role("link", name=re.compile("^azathioprine", re.I)).first).to_be_visible()
    _arrive(page, "Search")


def test_reader_finds_the_editorial_policy_and_browses_drug_classes_and_conditions(demo, any_page, live_server):
    page = any_page
    visit(page, live_server.url + "/drugs/azathioprine/")
    _arrive(page, "Azathioprine")

    page.get_by_role("navigation", name="About medsite").get_by_role("link", name="About us").click()
    _arrive(page, "About medsite")
    _follow(page, ".subpages", "Editorial policy")
    _arrive(page, "Editorial policy")
    expect(page.locator("main").get_by_role("link", name="NHS Standard for Creating Health Content")).to_be_visible()
    _follow(page, ".breadcrumbs", "About medsite")
    _arrive(page, "About medsite")

    page.get_by_role("navigation", name="Browse").get_by_role("link", name="Drug classes").click()
    _arrive(page, "Drug classes A–Z")
    nsaids = page.locator("main").get_by_role("link", name="NSAIDs", exact=True)
    expect(nsaids.locator("xpath=..")).to_contain_text(re.compile(r"\(\d+ drugs?\)"))
    nsaids.click()
    _arrive(page, "NSAIDs")
    _follow(page, ".breadcrumbs", "Drug classes")
    _arrive(page, "Drug classes A–Z")

    page.get_by_role("navigation", name="Browse").get_by_role("link", name="Conditions").click()
    _arrive(page, "Conditions A–Z")
    _follow(page, "main", "Rheumatoid arthritis")
    _arrive(page, "Rheumatoid arthritis")


def test_layout_check_sees_sideways_scroll_and_overlap(browser):
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        "<main><p>first</p><p style='margin-top: -1.5em'>second</p>"
        "<div style='width: 600px'>too wide for a phone</div></main>"
    )
    problems = "\n".join(layout_problems(page))
    page.close()
    assert "scrolls sideways" in problems
    assert "sticks out of the viewport: div" in problems
    assert "main: p covers p" in problems
