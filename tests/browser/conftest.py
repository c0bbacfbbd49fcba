"""Browser tests: Playwright driving the system's Chromium against pytest-django's live server.

Every test here is marked ``browser``. Without Chromium (or Playwright) they
are skipped with a plain reason, and the terminal summary says so in one line;
under ``CI=true`` they fail instead.
They run after every other test, because while Playwright is running the test
thread looks like an async context to Django (see ``playwright`` below).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.pages import DESKTOP, PHONE, log_in, open_watched_page
from tests.environment import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BROWSER_DIR = Path(__file__).resolve().parent


def _missing_browser_reason() -> str:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements.txt)"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    return ""


MISSING_BROWSER = _missing_browser_reason()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser against the live server (tests/browser/)")


def pytest_collection_modifyitems(config, items):
    in_browser_dir = [item for item in items if BROWSER_DIR in Path(item.path).parents]
    for item in in_browser_dir:
        item.add_marker(pytest.mark.browser)
    # Last, so that the session's browser (and its event loop) outlives no other test.
    browser_items = set(in_browser_dir)
    items[:] = [item for item in items if item not in browser_items] + in_browser_dir


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "browser" in getattr(report, "keywords", {}) and "no browser:" in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} browser tests SKIPPED: {MISSING_BROWSER}.", yellow=True, bold=True)


@pytest.fixture(scope="session")
def playwright():
    if MISSING_BROWSER:
        skip_or_fail(f"no browser: {MISSING_BROWSER}")
    from playwright.sync_api import sync_playwright

    # Between calls, Playwright's sync API leaves its event loop marked as running
    # in the test thread, so Django's async-safety check would refuse the ORM calls
    # that set up and inspect data here. Nothing else runs in this thread while
    # the browser is up (browser tests run last), so the check is off only then.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    yield manager
    manager.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser(playwright):
    # Playwright gives each launch a fresh temporary profile (--user-data-dir).
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def desktop_page(browser, live_server):
    page = open_watched_page(browser, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def any_page(request, browser, live_server):
    """A page at the phone width, then the same test again at the desktop width."""
    page = open_watched_page(browser, request.param)
    yield page
    page.context.close()


@pytest.fixture
def roles(transactional_db):
    """The editorial role groups, which ``migrate`` creates and each live-server test's flush removes."""
    from workflow.roles import sync_roles

    sync_roles()


@pytest.fixture
def demo(roles):
    """The demo site: real categories, cited articles, drugs and one account per editorial role."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def people(demo, browser, live_server):
    """A signed-in page per editorial role (the demo's accounts), each in its own browser context."""
    pages = {}
    for role in ["author", "reviewer", "publisher"]:
        pages[role] = open_watched_page(browser, DESKTOP)
        log_in(pages[role], live_server.url, role, f"medsite-demo-{role}")
    yield pages
    for page in pages.values():
        page.context.close()
