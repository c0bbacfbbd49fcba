"""A WordPress post's content as a medsite body (wordpress/content.py): one rule a test."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publishing.html import sanitize_html
from tests.html_safety import problems_in
from tests.test_sanitizer_properties import FAST, HOSTILE_PIECES
from wordpress.content import convert_body, shortcode_attributes, strip_block_comments, wpautop

SITE = "https://example.org"
POSTS = {
    "https://example.org/2019/03/motrin/": "/articles/ibuprofen/",
    "https://example.org/2018/11/methotrexate/": "/articles/methotrexate/",
    "https://example.org/?p=12": "/articles/azathioprine/",
}
IMAGES = {
    "https://example.org/wp-content/uploads/2019/03/tablets.jpg": 7,
    "https://example.org/wp-content/uploads/2020/05/clinic-scaled.jpg": 8,
}
ATTACHMENTS = {101: 21, 102: 22}


def convert(raw, **overrides):
    options = {"site_url": SITE, "rewrite_url": POSTS.get, "image_id_for_url": IMAGES.get} | overrides
    return convert_body(raw, **options)


# --- 1. Block-editor comments ---


def test_block_comments_are_removed_and_their_html_kept():
    raw = (
        "<!-- wp:heading -->\n<h2>Side effects</h2>\n<!-- /wp:heading -->\n"
        "<!-- wp:paragraph -->\n<p>Talk to your doctor.</p>\n<!-- /wp:paragraph -->\n"
        '<!-- wp:separator {"className":"is-style-wide"} /-->'
    )
    result = convert(raw)
    assert "wp:" not in result.html
    assert result.html == "<h2>Side effects</h2>\n<p>Talk to your doctor.</p>"


def test_block_comment_with_json_attributes_is_removed_whole():
    assert strip_block_comments('a<!-- wp:image {"id":12,"sizeSlug":"large"} -->b<!-- /wp:image -->c') == "abc"


def test_block_posts_are_not_run_through_wpautop():
    # WordPress skips wpautop for block content: its paragraphs are already HTML, a newline inside is not a <br>.
    raw = "<!-- wp:paragraph -->\n<p>One line\nand the same paragraph</p>\n<!-- /wp:paragraph -->"
    assert convert(raw).html == "<p>One line\nand the same paragraph</p>"


# --- 2. Shortcodes ---


def test_caption_becomes_a_library_image_and_its_caption_is_reported():
    raw = (
        '[caption id="attachment_5" align="alignright" width="300"]'
        '<img class="size-medium wp-image-5" src="https://example.org/wp-content/uploads/2019/03/tablets.jpg" '
        'alt="Tablets in a blister pack" width="300" height="200" /> Azathioprine tablets[/caption]'
    )
    result = convert(raw)
    assert result.html == '<img data-image="7" alt="Tablets in a blister pack">'
    assert result.captions == {7: "Azathioprine tablets"}
    assert not result.dropped_shortcodes


def test_caption_in_the_old_attribute_form():
    raw = (
        '[caption id="" align="alignnone" width="300" caption="Tablets"]'
        '<img src="/wp-content/uploads/2019/03/tablets.jpg" alt="" />[/caption]'
    )
    result = convert(raw)
    assert result.html == '<img data-image="7" alt="">'
    assert result.captions == {7: "Tablets"}


def test_caption_of_an_image_that_cannot_be_mapped_goes_with_it():
    raw = '[caption width="300"]<img src="https://example.org/wp-content/uploads/gone.jpg" alt="x" /> Gone[/caption]'
    result = convert(raw)
    assert result.html == ""
    assert result.unresolved_links == ["https://example.org/wp-content/uploads/gone.jpg"]
    assert result.captions == {}


def test_gallery_becomes_its_images():
    result = convert('[gallery ids="101,102"]', image_id_for_attachment=ATTACHMENTS.get)
    assert result.html == '<img data-image="21" alt="">\n<img data-image="22" alt="">'
    assert not result.dropped_shortcodes


def test_gallery_without_an_attachment_lookup_is_dropped_and_counted():
    result = convert('Before\n\n[gallery ids="101,102"]\n\nAfter')
    assert result.html == "<p>Before</p>\n<p>After</p>"
    assert result.dropped_shortcodes == {"gallery": 1}


def test_gallery_attachment_without_an_image_is_reported():
    result = convert('[gallery ids="101,999"]', image_id_for_attachment=ATTACHMENTS.get)
    assert result.html == '<img data-image="21" alt="">'
    assert result.unresolved_links == ["https://example.org/?attachment_id=999"]


def test_embed_becomes_a_plain_link():
    result = convert("Watch this:\n\n[embed]https://www.youtube.com/watch?v=abc123[/embed]")
    assert result.html == (
        "<p>Watch this:</p>\n"
        '<p><a href="https://www.youtube.com/watch?v=abc123" rel="noopener noreferrer">'
        "https://www.youtube.com/watch?v=abc123</a></p>"
    )
    assert "iframe" not in result.html


def test_a_url_alone_on_its_line_becomes_a_plain_link():
    result = convert("A video:\n\nhttps://vimeo.com/12345\n\nMore text.")
    assert '<p><a href="https://vimeo.com/12345" rel="noopener noreferrer">https://vimeo.com/12345</a></p>' in (
        result.html
    )


def test_a_url_inside_a_sentence_is_left_as_text():
    assert convert("See https://vimeo.com/12345 for more.").html == "<p>See https://vimeo.com/12345 for more.</p>"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ('[contact-form-7 id="12" title="Contact form 1"]', "contact-form-7"),
        ('[audio mp3="https://example.org/wp-content/uploads/talk.mp3"]', "audio"),
        ("[playlist]", "playlist"),
        ("[foo /]", "foo"),
        ('[foo bar="1"]', "foo"),
    ],
)
def test_self_closing_shortcodes_are_removed_and_counted(raw, name):
    result = convert(f"Before {raw} after")
    assert result.html == "<p>Before  after</p>"
    assert result.dropped_shortcodes == {name: 1}


def test_enclosing_unknown_shortcode_keeps_its_text():
    result = convert("[highlight color=yellow]Take it with food.[/highlight]")
    assert result.html == "<p>Take it with food.</p>"
    assert result.dropped_shortcodes == {"highlight": 1}


def test_video_shortcode_is_removed_with_its_player_markup():
    raw = '[video width="640" mp4="https://example.org/v.mp4"]<source type="video/webm" src="v.webm" />[/video]'
    result = convert(raw)
    assert result.html == ""
    assert result.dropped_shortcodes == {"video": 1}


def test_each_shortcode_is_counted():
    result = convert('[audio src="a.mp3"] [audio src="b.mp3"] [contact-form-7 id="1"]')
    assert result.dropped_shortcodes == {"audio": 2, "contact-form-7": 1}


def test_escaped_shortcodes_become_literal_text():
    result = convert("Write [[gallery]] or [[foo]text[/foo]] to show the code.")
    assert result.html == "<p>Write [gallery] or [foo]text[/foo] to show the code.</p>"
    assert not result.dropped_shortcodes


def test_citation_markers_are_not_shortcodes():
    result = convert("Azathioprine is an immunosuppressant [1]. It needs blood tests [2, 3].")
    assert result.html == "<p>Azathioprine is an immunosuppressant [1]. It needs blood tests [2, 3].</p>"
    assert not result.dropped_shortcodes


def test_bracketed_words_in_quotations_stay_text():
    raw = "The leaflet says it [sic] should be taken daily [citation needed]."
    assert convert(raw).html == f"<p>{raw}</p>"


def test_shortcode_attributes_in_their_three_quotings():
    assert shortcode_attributes(" id=\"12\" align='left' width=300 positional") == {
        "id": "12",
        "align": "left",
        "width": "300",
    }


# --- 3. wpautop ---


def test_wpautop_blank_lines_make_paragraphs():
    assert wpautop("First paragraph.\n\nSecond paragraph.") == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"


def test_wpautop_single_newlines_become_line_breaks():
    assert wpautop("Line one\nLine two\nLine three") == "<p>Line one<br>\nLine two<br>\nLine three</p>"


def test_wpautop_adds_no_break_after_an_existing_one():
    assert wpautop("one<br>\ntwo<br/>\nthree<br />\nfour") == "<p>one<br>\ntwo<br>\nthree<br>\nfour</p>"


def test_wpautop_two_breaks_end_a_paragraph():
    assert wpautop("one<br>\n<br/>\ntwo<br/>\n<br />\n") == "<p>one</p>\n<p>two</p>"


def test_wpautop_handles_windows_and_old_mac_newlines():
    assert wpautop("One\r\n\r\nTwo\rstill two") == "<p>One</p>\n<p>Two<br>\nstill two</p>"


def test_wpautop_collapses_many_blank_lines():
    assert wpautop("\n\n\nOne\n\n\n\n\nTwo\n\n") == "<p>One</p>\n<p>Two</p>"


@pytest.mark.parametrize(
    "tag",
    ["table", "div", "dl", "ul", "ol", "pre", "address", "h1", "h2", "h3", "h4", "h5", "h6", "section", "figure"],
)
def test_wpautop_does_not_wrap_block_elements(tag):
    assert wpautop(f"<{tag}>foo</{tag}>") == f"<{tag}>foo</{tag}>"


def test_wpautop_puts_block_elements_on_their_own_lines():
    assert wpautop("<h2>Uses</h2><h2>Risks</h2>") == "<h2>Uses</h2>\n<h2>Risks</h2>"


@pytest.mark.parametrize("tag", ["a", "em", "strong", "code", "sup", "span"])
def test_wpautop_wraps_inline_elements(tag):
    assert wpautop(f"<{tag}>foo</{tag}>") == f"<p><{tag}>foo</{tag}></p>"


def test_wpautop_text_beside_a_block_is_its_own_paragraph():
    assert wpautop("a<div>b</div>") == "<p>a</p>\n<div>b</div>"


def test_wpautop_hr_is_not_wrapped():
    assert wpautop("before<hr>after") == "<p>before</p>\n<hr>\n<p>after</p>"


def test_wpautop_leaves_pre_untouched():
    code = "line 1\n\nline 3<br />\n  indented"
    assert wpautop(f"Look:\n\n<pre>{code}</pre>\n\nDone.") == f"<p>Look:</p>\n<pre>{code}</pre>\n<p>Done.</p>"


def test_wpautop_lists():
    text = "Common effects:\n<ul>\n<li>Nausea</li>\n<li>Tiredness</li>\n</ul>\nAsk your pharmacist."
    assert wpautop(text) == (
        "<p>Common effects:</p>\n<ul>\n<li>Nausea</li>\n<li>Tiredness</li>\n</ul>\n<p>Ask your pharmacist.</p>"
    )


def test_wpautop_nested_lists_stay_unwrapped():
    text = "<ul>\n<li>One\n<ul>\n<li>Inner</li>\n</ul>\n</li>\n<li>Two</li>\n</ul>"
    assert wpautop(text) == text


def test_wpautop_puts_paragraphs_inside_a_blockquote():
    assert wpautop("<blockquote>Quoted\n\nSecond</blockquote>") == (
        "<blockquote><p>Quoted</p>\n<p>Second</p></blockquote>"
    )


def test_wpautop_figure_gets_no_stray_paragraph():
    assert wpautop('<figure>\n<img src="a.jpg" />\n<figcaption>Caption</figcaption>\n</figure>') == (
        '<figure>\n<img src="a.jpg" /><figcaption>Caption</figcaption></figure>'
    )


def test_wpautop_keeps_newlines_inside_tags_and_comments():
    assert wpautop("Hello <a\nhref='world'>there</a>") == "<p>Hello <a\nhref='world'>there</a></p>"
    assert wpautop("Hello <!-- a\nnote -->") == "<p>Hello <!-- a\nnote --></p>"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_wpautop_of_nothing_is_nothing(text):
    assert wpautop(text) == ""


# --- 4. Links ---


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/2019/03/motrin/",
        "https://www.example.org/2019/03/motrin/",
        "http://example.org/2019/03/motrin/",
        "http://WWW.Example.org/2019/03/motrin/",
        "/2019/03/motrin/",
        "//example.org/2019/03/motrin/",
    ],
)
def test_old_site_links_are_rewritten(href):
    result = convert(f'<p><a href="{href}">Ibuprofen</a></p>')
    assert result.html == '<p><a href="/articles/ibuprofen/" rel="noopener noreferrer">Ibuprofen</a></p>'
    assert result.unresolved_links == []


def test_post_id_links_are_rewritten():
    assert 'href="/articles/azathioprine/"' in convert('<a href="?p=12">Imuran</a>').html
    assert 'href="/articles/azathioprine/"' in convert('<a href="https://example.org/?p=12">Imuran</a>').html


def test_the_callback_gets_one_form_of_each_url_and_the_fragment_is_kept():
    asked = []

    def rewrite(url):
        asked.append(url)
        return POSTS.get(url)

    result = convert('<a href="http://www.example.org/2019/03/motrin/#dose">x</a>', rewrite_url=rewrite)
    assert asked == ["https://example.org/2019/03/motrin/"]
    assert 'href="/articles/ibuprofen/#dose"' in result.html


def test_unknown_old_site_links_stay_absolute_and_are_reported_once():
    result = convert('<a href="/2015/01/old-page/">a</a> and <a href="https://www.example.org/2015/01/old-page/">b</a>')
    assert result.html.count('href="https://example.org/2015/01/old-page/"') == 2
    assert result.unresolved_links == ["https://example.org/2015/01/old-page/"]


@pytest.mark.parametrize(
    "href",
    [
        "https://www.nhs.uk/medicines/azathioprine/",
        "mailto:editor@example.org",
        "#side-effects",
        "https://example.com/",
    ],
)
def test_other_links_are_left_alone(href):
    result = convert(f'<a href="{href}">x</a>', rewrite_url=lambda url: pytest.fail(f"asked about {url}"))
    assert f'href="{href}"' in result.html
    assert result.unresolved_links == []


# --- 4. Images ---


def test_old_site_image_becomes_a_library_image_with_its_alt():
    result = convert('<img src="https://example.org/wp-content/uploads/2019/03/tablets.jpg" alt="Tablets &amp; box">')
    assert result.html == '<img data-image="7" alt="Tablets &amp; box">'


def test_resized_copy_maps_to_its_original():
    asked = []

    def lookup(url):
        asked.append(url)
        return IMAGES.get(url)

    result = convert('<img src="/wp-content/uploads/2019/03/tablets-300x200.jpg" alt="">', image_id_for_url=lookup)
    assert result.html == '<img data-image="7" alt="">'
    assert asked[0] == "https://example.org/wp-content/uploads/2019/03/tablets-300x200.jpg"
    assert asked[-1] == "https://example.org/wp-content/uploads/2019/03/tablets.jpg"


def test_resized_copy_of_a_scaled_upload_maps_to_it():
    assert convert('<img src="/wp-content/uploads/2020/05/clinic-1024x683.jpg">').html == '<img data-image="8" alt="">'


def test_block_image_falls_back_to_its_attachment_id():
    raw = '<img src="https://example.org/wp-content/uploads/renamed.jpg" class="wp-image-101" alt="">'
    assert convert(raw, image_id_for_attachment=ATTACHMENTS.get).html == '<img data-image="21" alt="">'


def test_block_editor_figure_keeps_the_image_and_reports_its_caption():
    raw = (
        '<!-- wp:image {"id":101} -->\n<figure class="wp-block-image">'
        '<img src="/wp-content/uploads/2019/03/tablets.jpg" alt="" class="wp-image-101"/>'
        "<figcaption>Film-coated tablets</figcaption></figure>\n<!-- /wp:image -->"
    )
    result = convert(raw)
    assert result.html == '<img data-image="7" alt="">'
    assert result.captions == {7: "Film-coated tablets"}


def test_table_caption_without_an_image_stays_as_text():
    raw = "<figure><table><tr><td>a</td></tr></table><figcaption>Table 1</figcaption></figure>"
    result = convert(raw).html
    assert "<td>a</td>" in result
    assert result.endswith("</table><p>Table 1</p>")


def test_images_that_cannot_be_mapped_are_removed_and_reported():
    raw = (
        "<p>Text</p>"
        '<img src="https://example.org/wp-content/uploads/missing.png" alt="gone">'
        '<img src="https://cdn.other.example/photo.jpg" alt="elsewhere">'
    )
    result = convert(raw)
    assert result.html == "<p>Text</p>"
    assert result.unresolved_links == [
        "https://example.org/wp-content/uploads/missing.png",
        "https://cdn.other.example/photo.jpg",
    ]


def test_link_from_an_image_to_its_own_file_is_dropped_keeping_the_image():
    raw = (
        '<a href="https://example.org/wp-content/uploads/2019/03/tablets.jpg">'
        '<img src="https://example.org/wp-content/uploads/2019/03/tablets-150x150.jpg" alt="Tablets"></a>'
    )
    result = convert(raw)
    assert result.html == '<img data-image="7" alt="Tablets">'
    assert result.unresolved_links == []


def test_an_image_in_a_sentence_stays_in_it():
    raw = 'Before <img src="/wp-content/uploads/2019/03/tablets.jpg" alt=""> after'
    assert convert(raw).html == '<p>Before <img data-image="7" alt=""> after</p>'


def test_a_data_image_written_in_the_post_is_not_trusted():
    assert convert('<img data-image="1" alt="">').html == ""


# --- 5. Sanitising ---


def test_hostile_markup_is_removed():
    raw = (
        '<p onclick="steal()" style="color:red">Hello<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">click</a>'
        '<iframe src="https://evil.example/"></iframe>'
        '<img src="x" onerror="alert(1)">'
    )
    result = convert(raw).html
    for bad in ("script", "alert", "onclick", "style", "javascript", "iframe", "onerror"):
        assert bad not in result
    assert "Hello" in result and "click" in result


def test_entities_are_kept_or_decoded():
    result = convert("Salt &amp; pepper, it&#8217;s &lt;safe&gt;")
    assert result.html == "<p>Salt &amp; pepper, it\u2019s &lt;safe&gt;</p>"


def test_a_bare_ampersand_is_text():
    assert convert("AT&T and R&D").html == "<p>AT&amp;T and R&amp;D</p>"


def test_entities_in_link_addresses_are_decoded_before_matching():
    result = convert('<a href="https://example.org/?p=12&amp;utm=x">a</a>')
    assert result.unresolved_links == ["https://example.org/?p=12&utm=x"]
    assert 'href="https://example.org/?p=12&amp;utm=x"' in result.html


@pytest.mark.parametrize("raw", ["", "   \n\n", "<!-- wp:paragraph -->\n<p></p>\n<!-- /wp:paragraph -->"])
def test_empty_body(raw):
    result = convert(raw)
    assert result.html == ""
    assert result.dropped_shortcodes == {}
    assert result.unresolved_links == []


# --- A whole post ---

# As the classic editor saves one: blank lines between paragraphs, list items indented with a space and a tab.
IMURAN_POST = "\n".join(
    [
        "Azathioprine (brand name Imuran) is a medicine that calms the immune system. "
        "It is used after some organ transplants and for some autoimmune conditions [1].",
        "",
        "<h2>How it is taken</h2>",
        "Your specialist decides the dose and how often you take it. Do not change it without talking to them.",
        "",
        '[caption id="attachment_41" align="alignright" width="300"]'
        '<a href="https://example.org/wp-content/uploads/2019/03/tablets.jpg">'
        '<img class="size-medium wp-image-41" src="https://example.org/wp-content/uploads/2019/03/tablets-300x200.jpg"'
        ' alt="Azathioprine tablets" width="300" height="200" /></a> Azathioprine comes as tablets.[/caption]',
        "",
        "<h2>Side effects</h2>",
        "Tell your doctor if you notice:",
        "<ul>",
        " \t<li>signs of an infection, such as a fever or sore throat</li>",
        " \t<li>unusual bruising or bleeding</li>",
        " \t<li>yellowing of the skin or eyes</li>",
        "</ul>",
        "You will need regular blood tests while you take it [2].",
        "",
        '[contact-form-7 id="7" title="Ask a question"]',
        "",
        "<h3>See also</h3>",
        "<ul>",
        ' \t<li><a href="http://www.example.org/2018/11/methotrexate/">Methotrexate</a></li>',
        ' \t<li><a href="/2019/03/motrin/">Ibuprofen (Motrin)</a></li>',
        "</ul>",
    ]
)


def test_a_realistic_post():
    result = convert(IMURAN_POST)
    assert result.html == (
        "<p>Azathioprine (brand name Imuran) is a medicine that calms the immune system. It is used after some "
        "organ transplants and for some autoimmune conditions [1].</p>\n"
        "<h2>How it is taken</h2>\n"
        "<p>Your specialist decides the dose and how often you take it. Do not change it without talking to them."
        "</p>\n"
        '<img data-image="7" alt="Azathioprine tablets">\n'
        "<h2>Side effects</h2>\n"
        "<p>Tell your doctor if you notice:</p>\n"
        "<ul>\n"
        "<li>signs of an infection, such as a fever or sore throat</li>\n"
        "<li>unusual bruising or bleeding</li>\n"
        "<li>yellowing of the skin or eyes</li>\n"
        "</ul>\n"
        "<p>You will need regular blood tests while you take it [2].</p>\n"
        "<h3>See also</h3>\n"
        "<ul>\n"
        '<li><a href="/articles/methotrexate/" rel="noopener noreferrer">Methotrexate</a></li>\n'
        '<li><a href="/articles/ibuprofen/" rel="noopener noreferrer">Ibuprofen (Motrin)</a></li>\n'
        "</ul>"
    )
    assert result.captions == {7: "Azathioprine comes as tablets."}
    assert result.dropped_shortcodes == {"contact-form-7": 1}
    assert result.unresolved_links == []


# --- Whatever the input ---

WORDPRESS_PIECES = [
    "<!-- wp:paragraph -->",
    "<!-- /wp:paragraph -->",
    '[caption width="300"]<img src="/wp-content/uploads/2019/03/tablets-300x200.jpg" alt="a"> Text[/caption]',
    '[gallery ids="101,5"]',
    "[embed]https://vimeo.com/1[/embed]",
    '[contact-form-7 id="1"]',
    "[foo]",
    "[/foo]",
    "[[",
    "]]",
    "[1]",
    '<a href="/2019/03/motrin/">',
    '<a href="/unknown/">',
    "</a>",
    '<img src="https://example.org/wp-content/uploads/2019/03/tablets.jpg">',
    '<img data-image="3">',
    "<figure>",
    "<figcaption>",
    "</figure>",
    "<pre>",
    "</pre>",
    "\n",
    "\n\n",
    "https://example.org/?p=12",
]
post_content = st.lists(
    st.one_of(st.sampled_from(WORDPRESS_PIECES), st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)), max_size=12
).map("".join)


def _library_images_only(body):
    """``body``'s problems, allowing the one <img> a stored body may hold: ours, named by its number."""
    assert all(re.match(r'<img data-image="\d+" alt="[^"]*">', tag) for tag in re.findall(r"<img\b[^>]*>", body))
    return [problem for problem in problems_in(body) if problem != "<img>"]


@FAST
@given(post_content)
def test_any_post_content_becomes_a_safe_body_the_sanitiser_leaves_as_it_is(raw):
    result = convert(raw, image_id_for_attachment=ATTACHMENTS.get)
    assert _library_images_only(result.html) == []
    assert sanitize_html(result.html) == result.html
    assert all(url.startswith(("http://", "https://")) for url in result.unresolved_links)
