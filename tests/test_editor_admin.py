"""The change forms around the editor: the error summary, the search engines fieldset, the editor's own setup."""

import json
import re

import pytest

from tests.admin_helpers import add_row, change_url, form_data
from tests.factories import make_drug, make_published_drug

pytestmark = pytest.mark.django_db


def summary_links(html: str) -> list[tuple[str, str]]:
    """(anchor, text) of each link in the error summary."""
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None, "no error summary on the page"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def test_error_summary_links_to_each_field_and_inline_row_with_an_error(editor_client):
    drug = make_published_drug(generic_name="azathioprine")
    data = form_data(editor_client, change_url(drug))
    add_row(data, "side_effects", name="", frequency="common", seriousness="mild", what_to_do="Eat first.")
    data.update(generic_name="", summary="")
    html = editor_client.post(change_url(drug), data).content.decode()
    links = summary_links(html)
    assert ("id_generic_name", "Generic name") in links
    assert ("id_side_effects-0-name", "Side effect 1, name") in links
    for anchor, _ in links:
        assert f'id="{anchor}"' in html, f"the summary links to #{anchor}, which the page does not have"
    assert html.index('class="error-summary"') < html.index('id="id_generic_name"')


def test_error_summary_lists_a_formset_error_linking_to_its_group(editor_client):
    drug = make_drug(generic_name="azathioprine")
    data = form_data(editor_client, change_url(drug))
    add_row(data, "names", name="Imuran", kind="brand", slug="")
    add_row(data, "names", name="imuran", kind="brand", slug="")
    html = editor_client.post(change_url(drug), data).content.decode()
    links = summary_links(html)
    assert ("names-group", "Other names (brand and generic)") in links
    assert ("names-1", "Drug name 2") in links
    for anchor, _ in links:
        assert f'id="{anchor}"' in html


def test_a_form_without_errors_has_no_summary(editor_client):
    html = editor_client.get("/admin/drugs/drug/add/").content.decode()
    assert "error-summary" not in html


@pytest.mark.parametrize("url", ["/admin/articles/article/add/", "/admin/drugs/drug/add/"])
def test_search_engines_fieldset_has_both_boxes_the_preview_and_its_script(editor_client, url):
    html = editor_client.get(url).content.decode()
    assert "<h2" in html and "Search engines" in html
    assert re.search(r'<input[^>]*name="seo_title"[^>]*data-length-hint="60"', html)
    assert re.search(r'<textarea[^>]*name="meta_description"[^>]*data-length-hint="155"', html)
    assert 'class="search-preview"' in html
    assert "workflow/search-preview.js" in html


def test_search_preview_knows_the_page_address_around_the_slug(editor_client):
    html = editor_client.get("/admin/drugs/drug/add/").content.decode()
    assert 'data-address-before="http://testserver/drugs/"' in html
    assert 'data-title-input="id_generic_name"' in html


def test_search_title_and_description_are_saved_from_the_article_form(editor_client):
    from tests.factories import make_article

    article = make_article(title="Azathioprine guide", status="draft")
    data = form_data(editor_client, change_url(article))
    data.update(seo_title="Azathioprine: how to take it", meta_description="Timing, food and missed doses.")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.seo_title, article.meta_description) == (
        "Azathioprine: how to take it",
        "Timing, food and missed doses.",
    )


def test_the_body_editor_offers_tables_our_link_chooser_and_paste_cleanup(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()
    config = json.loads(
        re.search(r"data-django-prose-editor-configurable=\"([^\"]*)\"", html).group(1).replace("&quot;", '"')
    )
    extensions = config["extensions"]
    assert {"Table", "TableRow", "TableHeader", "TableCell", "PasteCleanup"} <= extensions.keys()
    assert extensions["InternalLink"]["chooserUrl"] == "/admin/link-chooser/"
    assert "Link" not in extensions
    assert any(module.endswith("workflow/editor-extensions.js") for module in config["js_modules"])


def test_change_forms_load_the_editor_styles_from_a_file(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*workflow/content-admin\.css">', html)
