"""The seed post, imported from a WordPress export, reads right in a browser.

The old permalink leads to the article in one hop; the page shows the title
with its dash, the body's headings, list and captioned image (also the
featured image, so shown once), the category and tags, and "See also" links that lead to the other
imported posts rather than to the old site. The screenshot is kept as
test-artifacts/screenshots/wordpress-seed.png for a person to look at.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.pages import layout_problems, visit
from tests.factories import image_bytes

SEED = Path(__file__).resolve().parents[1] / "wordpress" / "seed.xml"
ALL_IMAGES_LOADED = "() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)"


@pytest.fixture
def imported_seed(transactional_db, tmp_path):
    folder = tmp_path / "uploads" / "2019" / "03"
    folder.mkdir(parents=True)
    (folder / "pill.jpg").write_bytes(image_bytes(size=(800, 600), color=(225, 230, 236)))
    (folder / "pill-300x225.jpg").write_bytes(image_bytes(size=(300, 225), color=(225, 230, 236)))
    out = io.StringIO()
    call_command("import_wordpress", str(SEED), "--uploads", str(tmp_path / "uploads"), "--publish", stdout=out)
    return out.getvalue()


def test_the_imported_seed_post_reads_right(imported_seed, desktop_page, live_server, screenshots):
    page = desktop_page
    response = visit(page, live_server.url + "/2019/03/14/imuran/")
    assert page.url == live_server.url + "/articles/imuran/"
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.redirected_from is None  # one hop

    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Imuran \u2013 An Immunosuppressive Drug"
    headings = main.locator("h2").all_inner_texts()
    assert "What it is used for" in headings and "Things to know" in headings
    assert main.get_by_text("It can make infections more likely.").is_visible()
    assert main.get_by_text("Tablets come in blister packs.").first.is_visible()  # the [caption]
    assert main.get_by_role("link", name="Pain Relief").first.is_visible()
    for tag in ("Imuran", "Azathioprine"):
        assert main.get_by_role("link", name=tag, exact=True).first.is_visible()
    page.wait_for_function(ALL_IMAGES_LOADED)
    # The featured image (_thumbnail_id) is also the body's [caption] image: shown once, where the text puts it.
    assert main.locator("img").count() == 1
    assert main.get_by_role("img", name="A blister pack of white tablets").first.is_visible()
    assert "old.example.org" not in page.content()
    assert layout_problems(page) == []

    page.screenshot(path=screenshots / "wordpress-seed.png", full_page=True)

    main.get_by_role("link", name="Motrin", exact=True).click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/articles/motrin/"
    assert page.locator("h1").inner_text() == "Motrin (ibuprofen)"
    page.watch.assert_quiet()
