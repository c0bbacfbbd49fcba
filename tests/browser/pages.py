"""What the browser tests do to a page: watch it for scripts that should not run, visit, measure, log in."""

import re
from dataclasses import dataclass, field

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Boxes that reach past the viewport's sides, unless a box around them scrolls
# (a wide table in its scroller is fine). Boxes wholly left of the viewport are
# there on purpose: the skip link waits off-screen until it gets focus.
LAYOUT_PROBE = """
() => {
  const width = document.documentElement.clientWidth;
  const clippedByAncestor = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + " “" + (el.textContent || "").trim().slice(0, 40) + "”";
  const outside = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;
    if ((box.right > width + 1 || box.left < -1) && !clippedByAncestor(el)) outside.push(describe(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewportWidth: window.innerWidth, outside: outside};
}
"""

# Sibling boxes inside these containers must never cover one another.
OVERLAP_PROBE = """
(selectors) => {
  const found = [];
  const visible = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "");
  for (const selector of selectors) {
    for (const container of document.querySelectorAll(selector)) {
      const kids = [...container.children].filter(visible).filter((el) => getComputedStyle(el).position === "static");
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const a = kids[i].getBoundingClientRect(), b = kids[j].getBoundingClientRect();
          const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (overlapX > 1 && overlapY > 1) found.push(selector + ": " + name(kids[i]) + " covers " + name(kids[j]));
        }
      }
    }
  }
  return found;
}
"""
LAYOUT_CONTAINERS = [
    ".site-header__inner",
    ".site-nav ul",
    ".site-search",
    "main",
    "main ul",
    "main ol",
    ".site-footer",
]


@dataclass
class PageWatch:
    """Everything a page did that a reader's browser would show as an error, or that ran script it should not."""

    page: object
    dialogs: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    expected_failures: set = field(default_factory=set)

    def __post_init__(self):
        self.page.on("dialog", self._on_dialog)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.page_errors.append(f"{self.page.url}: {error}"))

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{self.page.url}: {dialog.type} “{dialog.message}”")
        dialog.dismiss()

    def _on_console(self, message):
        if message.type != "error":
            return
        source = message.location.get("url", "")
        # Chromium asks for /favicon.ico by itself on pages that name no icon (the admin's).
        # (APPEND_SLASH sends it on to /favicon.ico/, which fails the same way.)
        expected = source in self.expected_failures or source.rstrip("/").endswith("/favicon.ico")
        if message.text.startswith("Failed to load resource") and expected:
            return
        self.console_errors.append(f"{source or self.page.url}: {message.text}")

    def problems(self) -> list[str]:
        return [*self.dialogs, *self.page_errors, *self.console_errors]

    def assert_quiet(self):
        assert self.problems() == [], "the browser reported:\n" + "\n".join(self.problems())


def open_watched_page(browser, viewport):
    """A page in a fresh browser context (no cookies), with ``page.watch`` listening from the start."""
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.watch = PageWatch(page)
    return page


def visit(page, url: str, status: int = 200):
    """Open ``url`` as a reader would and check the answer's status."""
    if status != 200:
        page.watch.expected_failures.add(url)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, f"{url} answered {response and response.status}"
    return response


def layout_problems(page) -> list[str]:
    """What is cut off, scrolls sideways or overlaps at the current viewport width."""
    probe = page.evaluate(LAYOUT_PROBE)
    problems = [f"{page.url}: sticks out of the viewport: {what}" for what in probe["outside"][:5]]
    if probe["scrollWidth"] > probe["viewportWidth"]:
        problems.append(f"{page.url}: scrolls sideways ({probe['scrollWidth']}px wide in {probe['viewportWidth']}px)")
    problems += [f"{page.url}: {what}" for what in page.evaluate(OVERLAP_PROBE, LAYOUT_CONTAINERS)]
    return problems


def log_in(page, base_url: str, username: str, password: str):
    """Sign in to the admin through its login form, finding the fields by their labels."""
    page.goto(f"{base_url}/admin/")
    page.get_by_label(re.compile(r"username", re.I)).fill(username)
    page.get_by_label(re.compile(r"^\s*password", re.I)).fill(password)
    page.get_by_role("button", name=re.compile(r"log in|next|sign in", re.I)).click()
    page.locator("#user-tools").wait_for()


# Every public page template, as (name, address, status) on the demo site plus one withdrawn article.
PUBLIC_PAGES = [
    ("home", "/", 200),
    ("article", "/articles/imuran-azathioprine/", 200),
    ("category-index", "/category/", 200),
    ("category", "/category/pain-relief/", 200),
    ("tag-index", "/tag/", 200),
    ("tag", "/tag/azathioprine/", 200),
    ("drug-index", "/drugs/", 200),
    ("drug-index-letter", "/drugs/?letter=A", 200),
    ("drug", "/drugs/azathioprine/", 200),
    ("drug-class-index", "/drug-classes/", 200),
    ("drug-class", "/drug-classes/nsaids/", 200),
    ("condition-index", "/conditions/", 200),
    ("condition", "/conditions/rheumatoid-arthritis/", 200),
    ("site-page", "/about/", 200),
    ("site-page-child", "/about/editorial-policy/", 200),
    ("interactions-empty", "/interactions/", 200),
    ("interactions-result", "/interactions/?drug=azathioprine&drug=allopurinol", 200),
    ("interactions-unknown", "/interactions/?drug=azathioprine&drug=notadrug", 200),
    ("search-results", "/search/?q=azathioprine", 200),
    ("search-no-results", "/search/?q=xylophonequartz", 200),
    ("search-did-you-mean", "/search/?q=azathiaprine", 200),
    ("corrections", "/corrections/", 200),
    ("article-feedback-thanks", "/articles/imuran-azathioprine/?feedback=thanks", 200),
    ("not-found", "/articles/no-such-article/", 404),
    ("gone", "/articles/withdrawn-article/", 410),
]


def withdraw_an_article():
    """An article readers saw once and that was then unpublished: its address answers 410 Gone."""
    from articles.models import Category
    from publishing.models import Status
    from tests.factories import make_article

    article = make_article(title="Withdrawn article", category=Category.objects.order_by("pk").first())
    article.status = Status.UNPUBLISHED
    article.save()
