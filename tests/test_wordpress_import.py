"""``manage.py import_wordpress``: each rule of the import against a small WXR file (tests/wordpress/)."""

import io
import tracemalloc
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Category
from images.models import Image
from pages.models import Page
from publishing.models import Status
from tests.factories import image_bytes, make_reviewer, make_user
from wordpress.models import ImportedItem, OldAddress
from wordpress.phpdata import php_unserialize
from wordpress.selectors import REASON, imported_without_review
from wordpress.wxr import read_wxr

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "wordpress"


def run(name: str, *args, uploads: Path | None = None) -> str:
    out = io.StringIO()
    options = ["--uploads", str(uploads)] if uploads else []
    call_command("import_wordpress", str(FILES / name), *options, *args, "--skip-see-also", stdout=out)
    return out.getvalue()


def counts(report: str, kind: str) -> tuple[int, ...]:
    """(created, updated, unchanged, skipped) from the report's table row for ``kind`` ("posts")."""
    for line in report.splitlines():
        if line.split()[:1] == [kind]:
            return tuple(int(number) for number in line.split()[1:])
    return (0, 0, 0, 0)


@pytest.fixture
def seed_uploads(tmp_path) -> Path:
    """The seed site's wp-content/uploads: the original and WordPress's medium-size copy."""
    folder = tmp_path / "uploads" / "2019" / "03"
    folder.mkdir(parents=True)
    (folder / "pill.jpg").write_bytes(image_bytes(size=(800, 600)))
    (folder / "pill-300x225.jpg").write_bytes(image_bytes(size=(300, 225)))
    return tmp_path / "uploads"


# --- the seed post ---------------------------------------------------------------------------------


def test_the_seed_post_becomes_an_article_with_its_category_tags_image_and_links(seed_uploads):
    report = run("seed.xml", "--publish", uploads=seed_uploads)

    imuran = Article.objects.get(slug="imuran")
    assert imuran.title == "Imuran \u2013 An Immunosuppressive Drug"
    assert imuran.category.name == "Pain Relief"
    assert sorted(imuran.tags.names()) == ["Azathioprine", "Imuran"]
    assert imuran.author.username == "sam.writer"
    assert imuran.status == Status.PUBLISHED and imuran.is_public
    assert imuran.published_at.isoformat() == "2019-03-14T10:00:00+00:00"
    assert imuran.meta_description.startswith("What azathioprine (Imuran) is used for")
    assert imuran.seo_title == "Imuran (azathioprine)"
    # No excerpt on WordPress: the summary is the start of the text.
    assert imuran.summary == "Imuran is a brand name for azathioprine, a medicine that damps down the immune system."
    image = Image.objects.get()
    assert imuran.featured_image == image
    assert image.alt_text == "A blister pack of white tablets"
    body = imuran.body
    assert "<h2>What it is used for</h2>" in body and "<li>It can make infections more likely.</li>" in body
    assert f'data-image="{image.pk}"' in body  # the [caption] image, from the resized copy's address
    assert 'href="/articles/motrin/"' in body and 'href="/articles/naprelan/"' in body
    assert "old.example.org" not in body
    assert "Comments: 1 counted" in report
    assert Article.objects.get(slug="motrin").summary == "Ibuprofen for pain and fever."


def test_the_seed_report_counts_what_was_made(seed_uploads):
    report = run("seed.xml", uploads=seed_uploads)
    assert counts(report, "posts") == (3, 0, 0, 0)
    assert counts(report, "attachments") == (1, 0, 0, 0)
    assert counts(report, "tags") == (3, 0, 0, 0)
    assert "published on WordPress: in review here (--publish not given) (3)" in report


# --- reading the file --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["version_1_0.xml", "version_1_1.xml", "odd_prefix.xml"])
def test_every_wxr_version_and_namespace_prefix_is_read(name):
    run(name)
    assert Article.objects.count() == 1
    assert Article.objects.get().category.name == "General"


def test_an_item_that_rebinds_the_wp_prefix_is_not_imported_and_a_file_without_address_still_is():
    report = run("namespace_hijack.xml")
    assert list(Article.objects.values_list("title", flat=True)) == ["Over https"]
    assert "no WordPress post id" in report and "names no site address" in report
    assert ImportedItem.objects.get(kind="post").site == "no-address/namespaces"


def test_a_file_without_a_wxr_version_is_refused_clearly():
    with pytest.raises(CommandError, match=r"line \d+: no WXR version"):
        run("version_missing.xml")
    assert not Article.objects.exists()


def test_an_unknown_wxr_version_is_refused_clearly():
    with pytest.raises(CommandError, match=r"WXR version '1.3' is not one this importer reads"):
        run("version_unknown.xml")


def test_malformed_xml_is_refused_with_its_line_number():
    with pytest.raises(CommandError, match=r"malformed.xml, line 27: the XML is malformed \(mismatched tag"):
        run("malformed.xml")


def test_entity_declarations_are_refused():
    with pytest.raises(CommandError, match="declares XML entities"):
        run("entity_bomb.xml")


def test_a_cdata_section_split_around_its_end_marker_reads_as_one_text():
    run("cdata_split.xml")
    assert "The marker ]]&gt; closes a CDATA section." in Article.objects.get().body


def test_html_entities_in_titles_become_characters():
    run("title_entities.xml")
    assert Article.objects.get().title == "Aspirin \u2013 uses & cautions \u201cquoted\u201d"


def test_reading_a_large_export_takes_flat_memory(tmp_path):
    """The parser holds one item at a time: 20 MB of posts are read in well under 2 MB (tracemalloc's peak)."""
    path = tmp_path / "large.xml"
    body = "<p>" + "Paracetamol eases pain. " * 170 + "</p>"
    with path.open("w") as out:
        out.write((FILES / "version_1_1.xml").read_text().split("<item>")[0])
        for n in range(5000):
            out.write(f"<item><title>Post {n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type>")
            out.write(f"<content:encoded><![CDATA[{body}]]></content:encoded></item>\n")
        out.write("</channel></rss>\n")
    assert path.stat().st_size > 20_000_000
    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            items = sum(1 for record in read_wxr(handle) if getattr(record, "tag", "") == "item")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert items == 5000
    assert peak < 2_000_000, f"peak {peak / 1e6:.1f} MB"


def test_php_serialized_data_is_read_as_plain_data_and_objects_are_refused():
    assert php_unserialize('a:2:{s:4:"file";s:5:"a.jpg";s:5:"sizes";a:1:{i:0;d:1.5;}}') == {
        "file": "a.jpg",
        "sizes": {0: 1.5},
    }
    assert php_unserialize('s:6:"caf\u00e9!";') == "caf\u00e9!"  # lengths count bytes, as PHP does
    assert php_unserialize('O:8:"stdClass":1:{s:1:"a";i:1;}') is None
    assert php_unserialize('a:1:{s:1:"a";i:1;') is None
    assert php_unserialize("not serialized") is None


# --- people and terms ------------------------------------------------------------------------------


def test_authors_match_by_login_or_email_and_new_ones_cannot_log_in():
    alex = make_user(username="alex")
    blair = make_user(username="blair", email="blair@example.org")
    run("authors.xml")
    assert get_user_model().objects.count() == 3
    casey = get_user_model().objects.get(username="casey")
    assert (casey.first_name, casey.last_name, casey.has_usable_password()) == ("Casey", "Lee", False)
    assert Article.objects.get().author == casey
    assert {alex.pk, blair.pk} <= set(get_user_model().objects.values_list("pk", flat=True))


def test_an_undeclared_creator_whose_login_is_no_username_here_is_one_user_however_often_imported():
    run("creator_undeclared.xml")
    second = run("creator_undeclared.xml")
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["JoSmith"]
    assert counts(second, "authors") == (0, 0, 1, 0)
    assert counts(second, "posts") == (0, 0, 1, 0)


def test_categories_keep_their_parents_when_children_come_first():
    report = run("categories_nested.xml")
    migraine = Category.objects.get(slug="migraine")
    assert migraine.parent.slug == "headache" and migraine.parent.parent.slug == "pain-relief"
    assert Category.objects.get(slug="skin").name == "Skin & Hair"
    assert Category.objects.get(slug="pain-relief").description == "Medicines that ease pain."
    article = Article.objects.get()
    assert article.category == migraine
    assert "Skin & Hair" in article.tags.names()  # the second category is kept as a tag
    assert "in several categories" in report


# --- states ------------------------------------------------------------------------------------------


def test_states_map_to_ours_and_nothing_goes_public_without_publish():
    report = run("statuses.xml")
    states = dict(Article.objects.values_list("slug", "status"))
    assert states == {
        "published": Status.IN_REVIEW,
        "scheduled": Status.IN_REVIEW,
        "a-draft": Status.DRAFT,
        "pending": Status.IN_REVIEW,
        "private": Status.DRAFT,
        "protected": Status.DRAFT,
    }
    assert not Article.objects.published().exists()
    assert "post: in the trash (1)" in report
    assert "post: an unsaved auto-draft (1)" in report
    assert "nav_menu_item: post type 'nav_menu_item' has no equivalent here (1)" in report
    assert "private on WordPress: imported as a draft, never public (1)" in report
    assert "password-protected on WordPress: imported as a draft, never public (1)" in report


def test_with_publish_published_posts_are_public_and_future_ones_scheduled():
    run("statuses.xml", "--publish")
    published, scheduled = Article.objects.get(slug="published"), Article.objects.get(slug="scheduled")
    assert published.is_public
    assert scheduled.is_scheduled and scheduled.published_at.year == 2099
    assert Article.objects.get(slug="private").status == Status.DRAFT
    assert Article.objects.get(slug="protected").status == Status.DRAFT


def test_imported_clinical_text_is_flagged_in_the_review_queue_until_reviewed(seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    rows = imported_without_review()
    assert {row.title for row in rows} == {
        "Imuran \u2013 An Immunosuppressive Drug",
        "Motrin (ibuprofen)",
        "Naprelan (naproxen)",
    }
    assert all(row.reason.startswith(REASON) for row in rows)
    imuran = Article.objects.get(slug="imuran")
    assert imuran.reviewed_by is None and imuran.last_reviewed is None
    Article.objects.filter(pk=imuran.pk).update(reviewed_by=make_user(), last_reviewed=timezone.localdate())
    assert len(imported_without_review()) == 2


def test_the_review_queue_page_shows_the_imported_flag(client, seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    client.force_login(make_reviewer())
    html = client.get("/admin/review-queue/").content.decode()
    flagged = html[html.index('id="flagged-pages"') : html.index('id="due-heading"')]
    assert "Imuran – An Immunosuppressive Drug" in flagged
    assert f"{REASON} (public now)." in flagged


# --- pages, attachments, search fields ------------------------------------------------------------


def test_pages_keep_their_parent_and_order_and_avoid_addresses_the_site_uses():
    report = run("pages.xml", "--publish")
    team = Page.objects.get(segment="team")
    assert team.parent.slug == "about-us" and team.slug == "about-us/team"
    assert (team.position, team.parent.position) == (2, 1)
    search = Page.objects.get(title="Search tips")
    assert search.slug == "search-2"
    assert "address taken here" in report


def test_attachments_come_from_the_uploads_folder_missing_ones_reported_duplicates_shared(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2020" / "01").mkdir(parents=True)
    (folder / "2021" / "05").mkdir(parents=True)
    png = image_bytes(size=(120, 90), image_format="PNG")
    (folder / "2020" / "01" / "syringe.png").write_bytes(png)
    (folder / "2021" / "05" / "syringe-copy.png").write_bytes(png)
    report = run("attachments.xml", uploads=folder)
    image = Image.objects.get()
    assert image.title == "Syringe"
    assert set(OldAddress.objects.filter(image=image).values_list("address", flat=True)) >= {
        "/wp-content/uploads/2020/01/syringe.png",
        "/wp-content/uploads/2021/05/syringe-copy.png",
        "?attachment_id=41",
        "?attachment_id=43",
    }
    assert "Files not found under --uploads (2): 2020/01/lost.jpg" in report
    assert "the same file as another image" in report


def test_defer_renditions_imports_originals_only_and_pages_make_them_when_shown(client, seed_uploads):
    out = io.StringIO()
    call_command(
        "import_wordpress", str(FILES / "seed.xml"), "--uploads", str(seed_uploads), "--publish",
        "--defer-renditions", "--skip-see-also", stdout=out,
    )  # fmt: skip
    image = Image.objects.get()
    assert not image.renditions.exists()
    assert client.get("/articles/imuran/").status_code == 200
    assert image.renditions.exists()


def test_rank_math_fields_and_the_excerpt_fill_the_search_fields():
    run("seo_rank_math.xml")
    article = Article.objects.get()
    assert article.seo_title == "Paracetamol for pain and fever"
    assert article.meta_description == "How paracetamol eases pain and lowers a temperature."
    assert article.summary == "A common painkiller & fever reducer."


# --- running again, dry runs ----------------------------------------------------------------------------


def test_running_twice_never_duplicates_and_leaves_what_did_not_change(seed_uploads):
    run("seed.xml", uploads=seed_uploads)
    before = (Article.objects.count(), Image.objects.count(), Tag.objects.count(), OldAddress.objects.count())
    written = dict(Article.objects.values_list("slug", "updated_at"))
    second = run("seed.xml", uploads=seed_uploads)
    assert (Article.objects.count(), Image.objects.count(), Tag.objects.count(), OldAddress.objects.count()) == before
    assert counts(second, "posts") == (0, 0, 3, 0)
    assert counts(second, "attachments") == (0, 0, 1, 0)
    assert dict(Article.objects.values_list("slug", "updated_at")) == written


def test_running_again_updates_what_changed_on_wordpress(seed_uploads, tmp_path):
    run("seed.xml", uploads=seed_uploads)
    changed = tmp_path / "seed-changed.xml"
    text = (FILES / "seed.xml").read_text()
    text = text.replace("Motrin (ibuprofen)]]>", "Motrin (ibuprofen tablets)]]>")
    changed.write_text(
        text.replace('<category domain="post_tag" nicename="azathioprine"><![CDATA[Azathioprine]]></category>', "")
    )
    report = run(str(changed), uploads=seed_uploads)
    assert Article.objects.get(slug="motrin").title == "Motrin (ibuprofen tablets)"
    assert counts(report, "posts")[:3] == (0, 2, 1)  # Motrin retitled, Imuran retagged, Naprelan as it was
    assert list(Article.objects.get(slug="imuran").tags.names()) == ["Imuran"]


def test_a_post_renamed_on_wordpress_keeps_its_address_here_and_its_new_permalink_leads_to_it(client, seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    renamed = (FILES / "seed.xml").read_text().replace("2019/02/01/motrin/", "2019/02/01/motrin-ibuprofen/")
    changed = seed_uploads.parent / "seed-renamed.xml"
    changed.write_text(
        renamed.replace("<wp:post_name><![CDATA[motrin]]>", "<wp:post_name><![CDATA[motrin-ibuprofen]]>")
    )
    run(str(changed), "--publish", uploads=seed_uploads)
    assert Article.objects.filter(title="Motrin (ibuprofen)").count() == 1
    assert Article.objects.get(title="Motrin (ibuprofen)").slug == "motrin"
    for old in ("/2019/02/01/motrin/", "/2019/02/01/motrin-ibuprofen/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/articles/motrin/")


def test_running_twice_leaves_unchanged_pages_alone():
    run("pages.xml")
    second = run("pages.xml")
    assert counts(second, "pages") == (0, 0, 3, 0)


def test_running_again_leaves_an_article_edited_here_alone(seed_uploads):
    run("seed.xml", uploads=seed_uploads)
    imuran = Article.objects.get(slug="imuran")
    imuran.title = "Azathioprine (Imuran)"
    imuran.save()
    report = run("seed.xml", uploads=seed_uploads)
    assert Article.objects.get(slug="imuran").title == "Azathioprine (Imuran)"
    assert "edited here since the import" in report


def test_updated_is_when_the_text_last_changed_on_wordpress_not_the_import(seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    assert Article.objects.get(slug="imuran").updated_at.isoformat() == "2020-06-01T08:30:00+00:00"
    assert Article.objects.get(slug="motrin").updated_at.isoformat() == "2019-02-01T10:00:00+00:00"  # no modified date
    second = run("seed.xml", "--publish", uploads=seed_uploads)
    assert counts(second, "posts") == (0, 0, 3, 0)  # not mistaken for edits made here
    assert Article.objects.get(slug="imuran").updated_at.isoformat() == "2020-06-01T08:30:00+00:00"


def test_a_dry_run_writes_nothing(seed_uploads):
    report = run("seed.xml", "--dry-run", uploads=seed_uploads)
    assert "dry run, nothing written" in report
    assert "match nothing imported" not in report  # the image was found, though not saved
    assert counts(report, "posts") == (3, 0, 0, 0)
    assert not Article.objects.exists() and not Image.objects.exists() and not OldAddress.objects.exists()
    assert not Category.objects.exists() and not get_user_model().objects.exists()


# --- old addresses ------------------------------------------------------------------------------------


def test_old_addresses_answer_301_to_the_current_address_in_one_hop(client, seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    imuran = Article.objects.get(slug="imuran")
    for old in ("/2019/03/14/imuran/", "/2019/03/14/imuran", "/?p=10", "/anything/?p=10"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/articles/imuran/"), old
    assert client.get("/tag/nsaids/").status_code == 200  # the same address here: no redirect needed
    assert client.get("/sitemap.xml?p=10").status_code != 301  # our own pages' keys are theirs
    response = client.get("/wp-content/uploads/2019/03/pill-300x225.jpg")
    assert response.status_code == 301 and response["Location"].startswith("/media/")
    # Renamed here: the old address leads straight to the new one.
    imuran.slug = "azathioprine-imuran"
    imuran.save()
    response = client.get("/2019/03/14/imuran/")
    assert (response.status_code, response["Location"]) == (301, "/articles/azathioprine-imuran/")


def test_old_addresses_of_content_readers_cannot_see_do_not_redirect(client, seed_uploads):
    run("seed.xml", uploads=seed_uploads)  # in review: not public
    assert client.get("/2019/03/14/imuran/").status_code == 404
    assert client.get("/?p=10").status_code == 200  # the home page, as if the key were not there


def test_requests_without_wordpress_keys_run_no_extra_query(client, seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    client.get("/articles/imuran/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/articles/imuran/?utm_source=x")
    assert not any("wordpress_oldaddress" in query["sql"] for query in queries.captured_queries)


def test_a_404_outside_the_old_sites_addresses_costs_no_extra_query(client, seed_uploads):
    run("seed.xml", "--publish", uploads=seed_uploads)
    client.get("/articles/nothing-here/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/articles/nothing-here/").status_code == 404
    assert not any("wordpress_oldaddress" in query["sql"] for query in queries.captured_queries)
