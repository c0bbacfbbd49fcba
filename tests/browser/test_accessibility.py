"""axe-core finds nothing serious or critical on any public page, on a phone or a desktop.

Each page is also photographed at both widths into test-artifacts/screenshots/.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import PUBLIC_PAGES, layout_problems, log_in, visit, withdraw_an_article

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe():
    return Axe()


def blocking_violations(axe, page) -> list[str]:
    results = axe.run(page)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def test_public_pages_are_accessible_and_fit(demo, any_page, live_server, axe, screenshots):
    withdraw_an_article()
    page = any_page
    width = page.viewport_size["width"]
    violations, layout = [], []
    for name, path, status in PUBLIC_PAGES:
        visit(page, live_server.url + path, status)
        violations += blocking_violations(axe, page)
        layout += layout_problems(page)
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)
    assert violations == [], f"{len(violations)} serious or critical axe violations:\n" + "\n".join(violations)
    assert layout == [], "\n".join(layout)
    page.watch.assert_quiet()


def test_axe_reports_a_critical_problem(browser, axe):
    page = browser.new_page()
    page.set_content("<!doctype html><html lang='en'><title>x</title><main><img src='data:,'></main></html>")
    problems = blocking_violations(axe, page)
    page.close()
    assert any("image-alt (critical)" in problem for problem in problems)


def submitted_and_scheduled_articles():
    """Something in each of the dashboard's tables: one article in review, one signed off, one scheduled."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from articles.models import Article
    from publishing.models import Status

    author, reviewer = (get_user_model().objects.get(username=name) for name in ["author", "reviewer"])
    articles = list(Article.objects.order_by("pk")[:3])
    Article.objects.filter(pk=articles[0].pk).update(status=Status.IN_REVIEW, author=author, reviewed_by=None)
    Article.objects.filter(pk=articles[1].pk).update(
        status=Status.IN_REVIEW, author=author, reviewed_by=reviewer, last_reviewed=timezone.localdate()
    )
    Article.objects.filter(pk=articles[2].pk).update(published_at=timezone.now() + timedelta(days=2))


@pytest.mark.parametrize("role", ["reviewer", "publisher"])
def test_the_admin_dashboard_is_accessible_and_fits(demo, any_page, live_server, axe, screenshots, role):
    submitted_and_scheduled_articles()
    page = any_page
    log_in(page, live_server.url, role, f"medsite-demo-{role}")
    assert page.locator("#panel-waiting tbody tr").count() >= 1
    violations, layout = blocking_violations(axe, page), layout_problems(page)
    page.screenshot(path=screenshots / f"admin-dashboard-{role}-{page.viewport_size['width']}.png", full_page=True)
    assert violations == [], "\n".join(violations)
    assert layout == [], "\n".join(layout)
