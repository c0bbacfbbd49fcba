"""Word and Google Docs clipboard HTML keeps its structure through the body field's sanitiser.

Headings, lists and tables survive; office markup does not.
"""

import re
from pathlib import Path

import pytest

from articles.models import Article
from publishing.html import normalize_pasted_html, sanitize_html

pytestmark = pytest.mark.django_db

CLIPBOARD = Path(__file__).parent / "clipboard"
# What Word for Windows puts on the clipboard (trimmed): Heading 1 and 2, a bulleted list with a nested item,
# a numbered list, and a table whose first row is bold.
WORD = (CLIPBOARD / "word.html").read_text()

# The same kind of content from Chrome's copy of a Word document: conditional comments turned into real comments.
WORD_VIA_BROWSER = (
    '<p class="MsoListParagraphCxSpFirst" style="text-indent:-18pt;mso-list:l0 level1 lfo1">'
    '<!--[if !supportLists]--><span style="font-family:Symbol">·<span style="font:7pt Times">&nbsp;&nbsp; </span>'
    "</span><!--[endif]-->First<o:p></o:p></p>"
    '<p class="MsoListParagraphCxSpLast" style="text-indent:-18pt;mso-list:l0 level1 lfo1">'
    '<!--[if !supportLists]--><span style="font-family:Symbol">·<span style="font:7pt Times">&nbsp;&nbsp; </span>'
    "</span><!--[endif]-->Second<o:p></o:p></p>"
)

# What Google Docs puts on the clipboard (trimmed): one <b> wrapper, styled spans, real lists and a table.
GOOGLE_DOCS = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5a1b2c3d-7fff-0e1f-2a3b-4c5d6e7f8a9b">'
    '<h1 dir="ltr" style="line-height:1.38;margin-top:20pt;margin-bottom:6pt;"><span style="font-size:20pt;'
    'font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:normal;">Dose timing</span></h1>'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;'
    'font-family:Arial,sans-serif;font-weight:700;font-style:normal;">Never double up</span><span style="font-size:'
    '11pt;font-weight:400;font-style:italic;"> after a missed dose.</span></p>'
    '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:disc;"'
    ' aria-level="1"><p dir="ltr" role="presentation"><span style="font-size:11pt;font-weight:400;">Morning</span>'
    "</p></li></ul>"
    '<div dir="ltr" style="margin-left:0pt;" align="left"><table style="border:none;border-collapse:collapse;">'
    '<colgroup><col width="300"><col width="300"></colgroup><tbody><tr style="height:0pt"><th scope="col" '
    'style="border-left:solid #000000 1pt;"><p dir="ltr"><span style="font-weight:700;">Dose</span></p></th>'
    '<th scope="col"><p dir="ltr"><span style="font-weight:700;">When</span></p></th></tr>'
    '<tr><td colspan="2"><p dir="ltr"><span style="font-weight:400;">50 mg</span></p></td></tr></tbody></table>'
    "</div><br></b>"
)


def body_clean(html: str) -> str:
    """The body field's own sanitiser, as the admin form and every save run it."""
    return Article._meta.get_field("body").clean(html, Article())


def test_word_heading_1_becomes_our_top_heading_and_levels_move_down_with_it():
    cleaned = body_clean(WORD)
    assert re.findall(r"<h\d>[^<]*</h\d>", cleaned) == ["<h2>Taking azathioprine</h2>", "<h3>Missed doses</h3>"]
    assert "<h1" not in cleaned


def test_word_heading_styles_become_headings():
    cleaned = body_clean(
        '<p class=MsoHeading1>Overview</p><p class="MsoHeading2 x">Details</p><p class=MsoNormal>t</p>'
    )
    assert cleaned == "<h2>Overview</h2><h3>Details</h3><p>t</p>"


def test_headings_never_go_below_h4():
    assert body_clean("<h1>a</h1><h3>c</h3><h5>e</h5><h6>f</h6>") == "<h2>a</h2><h4>c</h4><h4>e</h4><h4>f</h4>"


def test_headings_of_clean_html_keep_their_level():
    assert body_clean("<h2>a</h2><h3>b</h3><h4>c</h4>") == "<h2>a</h2><h3>b</h3><h4>c</h4>"


def test_word_fake_bullets_become_a_nested_list_without_their_typed_bullets():
    cleaned = body_clean(WORD)
    assert (
        "<ul><li>Word fake bullet one<ul><li>Nested point</li></ul></li><li>Word fake bullet two</li></ul>" in cleaned
    )
    assert "·" not in cleaned
    assert "&nbsp;&nbsp;" not in cleaned


def test_word_numbered_paragraphs_become_an_ordered_list():
    assert "<ol><li>Call your doctor</li><li>Take the next dose</li></ol>" in body_clean(WORD)


def test_word_lists_copied_through_a_browser_become_lists_too():
    assert body_clean(WORD_VIA_BROWSER) == "<ul><li>First</li><li>Second</li></ul>"


def test_word_table_keeps_its_rows_and_cells():
    cleaned = body_clean(WORD)
    table = re.search(r"<table>.*</table>", cleaned, re.S).group(0)
    assert len(re.findall(r"<tr>", table)) == 2
    assert re.findall(r"<td><p>(?:<b>)?([^<]*)", table) == ["Dose", "Weekly", "50 mg", "350 mg"]


def test_word_markup_leaves_no_office_classes_styles_or_namespaced_tags():
    cleaned = body_clean(WORD)
    for leftover in ("class=", "style=", "mso-", "<o:p", "<![", "width="):
        assert leftover not in cleaned


def test_google_docs_wrapper_does_not_make_everything_bold():
    cleaned = body_clean(GOOGLE_DOCS)
    assert not cleaned.startswith("<b>")
    assert cleaned.startswith("<h2>Dose timing</h2>")


def test_google_docs_bold_and_italic_spans_become_marks():
    cleaned = body_clean(GOOGLE_DOCS)
    assert "<p><strong>Never double up</strong><em> after a missed dose.</em></p>" in cleaned
    assert "<ul><li><p>Morning</p></li></ul>" in cleaned


def test_table_header_cells_and_spans_are_kept():
    cleaned = body_clean(GOOGLE_DOCS)
    assert '<th scope="col"><p><strong>Dose</strong></p></th>' in cleaned
    assert '<td colspan="2"><p>50 mg</p></td>' in cleaned


def test_table_spans_and_scopes_outside_their_bounds_are_dropped():
    cleaned = sanitize_html(
        '<table><tr><th scope="evil" colspan="999">a</th><td rowspan="-1" colspan="x">b</td></tr></table>'
    )
    assert "<th>a</th><td>b</td>" in cleaned


def test_table_made_in_the_editor_survives_as_is():
    editor_table = (
        '<table><tbody><tr><th colspan="1" rowspan="1"><p>Dose</p></th></tr>'
        '<tr><td colspan="1" rowspan="1"><p>50 mg</p></td></tr></tbody></table>'
    )
    assert body_clean(editor_table) == editor_table


@pytest.mark.parametrize("html", [WORD, WORD_VIA_BROWSER, GOOGLE_DOCS])
def test_normalising_pasted_markup_twice_changes_nothing_more(html):
    once = sanitize_html(html)
    assert sanitize_html(once) == once
    assert normalize_pasted_html(once) == once


def test_internal_links_are_stored_as_relative_site_paths():
    cleaned = body_clean('<p><a href="/drugs/azathioprine/">azathioprine</a></p>')
    assert 'href="/drugs/azathioprine/"' in cleaned
