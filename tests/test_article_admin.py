"""The editor's path through the admin: list, write, file, tag, publish."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Max, Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Category, PinnedLink, Reference
from articles.related import see_also_for
from publishing.models import Status
from tests.admin_helpers import change_url, inline_errors
from tests.factories import make_article, make_category, make_reviewer, make_user, sign_off_fields

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")
TAG_AUTOCOMPLETE_URL = reverse("admin:articles_article_tag_autocomplete")


def inline_management_data(response) -> dict[str, str]:
    """The management form of every inline, as the rendered form carries it."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): str(value) for name, value in management.initial.items()})
    return data


def article_form_data(response, **fields) -> dict:
    """Everything the article form posts, starting from the page ``response`` rendered."""
    data = {
        "title": "",
        "slug": "",
        "summary": "",
        "body": "",
        "category": "",
        "tags": "",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "author": "",
        "reviewed_by": "",
        "last_reviewed": "",
        "next_review_due": "",
        **inline_management_data(response),
    }
    form = response.context["adminform"].form
    if "edit_version" in form.fields:  # the edit lock's hidden field, as the browser sends it
        data["edit_version"] = form["edit_version"].value()
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response):
    if response.status_code != 200 or response.context is None:
        return None
    form = response.context["adminform"].form
    inline_errors = [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
    return form.errors, inline_errors


@pytest.fixture
def pain_relief():
    return make_category(name="Pain Relief", slug="pain-relief")


# Changelist


def test_changelist_loads_with_filters_search_and_dates(editor_client):
    make_article(tags=["Imuran"])
    make_article(tags=["Liver"])
    response = editor_client.get(CHANGELIST_URL)
    assert response.status_code == 200
    changelist = response.context["cl"]
    filter_titles = [spec.title.lower() for spec in changelist.filter_specs]
    assert filter_titles == ["state", "category", "tags", "author"]
    assert changelist.date_hierarchy == "published_at"
    html = response.content.decode()
    assert 'id="searchbar"' in html
    assert f"?published_at__year={timezone.now().year}" in html


@pytest.mark.parametrize(
    "query",
    [
        lambda a, b: {"state": "draft"},
        lambda a, b: {"category__id__exact": b.category_id},
        lambda a, b: {"tag": Tag.objects.get(name="Liver").pk},
        lambda a, b: {"author__id__exact": b.author_id},
        lambda a, b: {"q": "Needle"},
        lambda a, b: {"published_at__year": b.published_at.year},
    ],
    ids=["status", "category", "tag", "author", "search", "date"],
)
def test_changelist_filters_narrow_the_list(editor_client, query):
    haystack = make_article(title="Haystack", tags=["Skin"])
    needle = make_article(
        title="Needle",
        status=Status.DRAFT,
        tags=["Liver"],
        published_at=timezone.now() - timedelta(days=366),
    )
    response = editor_client.get(CHANGELIST_URL, query(haystack, needle))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [needle]


@pytest.mark.parametrize("value", ["abc", "1 OR 1=1", "-1"])
def test_a_tag_filter_that_is_no_tag_id_gets_the_admins_error_page_not_a_500(editor_client, value):
    make_article(tags=["Liver"])
    response = editor_client.get(CHANGELIST_URL, {"tag": value})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_the_tag_filter_keeps_the_articles_carrying_the_tag_and_counts_them(editor_client):
    article = make_article(tags=["Liver", "Liver function"])
    make_article(tags=["Liver function"])
    liver = Tag.objects.get(name="Liver")
    response = editor_client.get(CHANGELIST_URL, {"tag": liver.pk})
    assert list(response.context["cl"].result_list) == [article]
    assert response.context["cl"].result_count == 1


def test_a_filtered_list_counts_its_rows_once_and_pages_by_fifty(editor_client):
    for number in range(51):
        make_article(title=f"Listed {number}", status=Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse("admin:articles_article_changelist") + "?status__exact=draft")
    counts = [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1, counts  # not a second count of every article for "(N total)"
    assert response.context["cl"].result_count == 51
    assert len(response.context["cl"].result_list) == 50


def test_the_search_finds_a_word_inside_titles_summaries_and_addresses_whatever_its_case(editor_client):
    in_title = make_article(title="Taking AZATHIOPRINE safely")
    in_summary = make_article(title="Immune drugs", summary="How azathioprine is monitored.")
    in_slug = make_article(title="Kidney care", slug="kidney-transplant-azathioprine")
    make_article(title="Ibuprofen and the stomach")
    response = editor_client.get(CHANGELIST_URL, {"q": "Azathioprine"})
    assert set(response.context["cl"].result_list) == {in_title, in_summary, in_slug}


def test_on_postgresql_the_admin_search_reads_trigram_indexes_not_every_article(editor_client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's; SQLite scans")
    make_article(title="Taking azathioprine safely")
    searched = editor_client.get(CHANGELIST_URL, {"q": "azathioprine"}).context["cl"].queryset
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough that a scan would win
        sql, params = searched.order_by().values("pk").query.sql_with_params()  # what the count asks
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in ("title", "summary", "slug"):
        assert f"article_admin_search_{column}" in plan, plan


def published_on(*moments: str) -> None:
    for moment in moments:
        make_article(published_at=datetime.fromisoformat(moment))


@pytest.mark.parametrize("probe_from_rows, probed", [(2, True), (3, False)], ids=["long list", "short list"])
def test_the_year_links_are_the_years_that_have_articles_without_a_gap_year(
    editor_client, monkeypatch, probe_from_rows, probed
):
    monkeypatch.setattr("workflow.changelist.PROBE_FROM_ROWS", probe_from_rows)
    published_on("2019-03-01T12:00+00:00", "2021-06-01T12:00+00:00", "2022-01-15T12:00+00:00")
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(CHANGELIST_URL).content.decode()
    shown = sorted(set(re.findall(r"\?published_at__year=(\d{4})", html)))
    assert shown == ["2019", "2021", "2022"]
    # A long list is probed year by year and its ends found in date order; a short one keeps Django's
    # MIN/MAX and DISTINCT over its rows' dates.
    django_way = [query["sql"] for query in queries if "DISTINCT" in query["sql"] or "MIN(" in query["sql"]]
    assert len(django_way) == (0 if probed else 2)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_the_probed_years_are_the_years_djangos_own_query_finds_in_the_editors_time_zone(zone):
    from workflow.changelist import years_with_rows

    # Near midnight on New Year's Eve, the year depends on the time zone.
    published_on("2020-12-31T23:30+00:00", "2021-01-01T00:30+00:00", "2023-07-01T12:00+00:00")
    make_article(status=Status.DRAFT, published_at=None)
    with timezone.override(zone):
        expected = list(Article.objects.datetimes("published_at", "year"))
        assert years_with_rows(Article.objects.all(), "published_at") == expected
        assert years_with_rows(Article.objects.filter(title="nothing"), "published_at") == []


def test_the_first_and_last_dates_found_in_date_order_are_djangos_min_and_max():
    from workflow.changelist import first_and_last

    published_on("2020-12-31T23:30+00:00", "2019-01-01T00:30+00:00", "2023-07-01T12:00+00:00")
    make_article(status=Status.DRAFT, published_at=None)
    ends = {"first": Min("published_at"), "last": Max("published_at")}
    assert first_and_last(Article.objects.all(), "published_at") == Article.objects.aggregate(**ends)
    nothing = Article.objects.filter(title="nothing")
    assert first_and_last(nothing, "published_at") == nothing.aggregate(**ends) == {"first": None, "last": None}


@pytest.mark.parametrize("title", ["Plain title", 'Quotes " and <b>tags</b> & ampersands'])
def test_the_rows_selection_checkbox_is_the_markup_django_would_render(title):
    from django.contrib import admin as django_admin

    article = make_article(title=title)
    article_admin = django_admin.site.get_model_admin(Article)
    assert article_admin.action_checkbox(article) == django_admin.ModelAdmin.action_checkbox(article_admin, article)


def test_changelist_query_count_does_not_grow_with_articles(editor_client, django_assert_max_num_queries):
    category, author = make_category(), make_user()
    for i in range(30):
        make_article(category=category, author=author, tags=[f"Tag {i}", "Shared"])
    # 16: one of them reads the signed-in person's roles for the header (templates/admin/base_site.html).
    with django_assert_max_num_queries(16):
        assert editor_client.get(CHANGELIST_URL).status_code == 200


def test_changelist_offers_view_and_preview_links(editor_client):
    public = make_article(title="Public")
    draft = make_article(title="Draft", status=Status.DRAFT)
    html = editor_client.get(CHANGELIST_URL).content.decode()
    assert f'<a href="{public.get_absolute_url()}" target="_blank" rel="noopener">View</a>' in html
    assert f'<a href="{draft.get_absolute_url()}" target="_blank" rel="noopener">Preview</a>' in html


# The article form


def test_add_form_renders_prose_editor_and_tag_autocomplete(editor_client, editor):
    response = editor_client.get(ADD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="body"' in html
    assert "data-django-prose-editor" in html
    assert f'data-autocomplete-light-url="{TAG_AUTOCOMPLETE_URL}"' in html
    assert response.context["adminform"].form.initial["author"] == editor.pk
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["pinned_links", "references", "faq_items"]
    assert 'name="pinned_links-TOTAL_FORMS"' in html
    assert 'name="references-TOTAL_FORMS"' in html
    assert 'name="faq_items-TOTAL_FORMS"' in html


def test_editor_writes_tags_edits_and_publishes_an_article(editor_client, editor, pain_relief, commit):
    reader = Client()
    neighbour = make_article(title="Motrin (ibuprofen)", tags=["Azathioprine"])
    add_page = editor_client.get(ADD_URL)
    data = article_form_data(
        add_page,
        title="Imuran (azathioprine)",
        slug="imuran-azathioprine",
        summary="What azathioprine is for.",
        body="<h2>Uses</h2><p>For rheumatoid arthritis.</p>",
        category=pain_relief.pk,
        tags="Imuran, Azathioprine",
        author=editor.pk,
    )
    data.update(
        {
            "references-TOTAL_FORMS": "1",
            "references-0-title": "Azathioprine label",
            "references-0-publisher": "FDA",
            "references-0-year": "2024",
            "references-0-url": "https://www.fda.gov/",
            "references-0-position": "0",
            "pinned_links-TOTAL_FORMS": "1",
            "pinned_links-0-target": neighbour.pk,
            "pinned_links-0-position": "0",
        }
    )
    with commit():
        response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="imuran-azathioprine")
    assert article.status == Status.DRAFT
    assert article.author == editor
    assert sorted(article.tags.names()) == ["Azathioprine", "Imuran"]
    assert [r.title for r in article.references.all()] == ["Azathioprine label"]
    assert [link.target for link in article.pinned_links.all()] == [neighbour]
    assert reader.get(article.get_absolute_url()).status_code == 404

    # Edit: new title, re-tag, keep the inlines.
    change_page = editor_client.get(change_url(article))
    assert change_page.status_code == 200
    data = article_form_data(
        change_page,
        title="Imuran (azathioprine): uses and side effects",
        slug="imuran-azathioprine",
        summary="What azathioprine is for.",
        body="<p>Updated.</p>",
        category=pain_relief.pk,
        tags="Azathioprine, Liver",
        author=editor.pk,
    )
    data.update(
        {
            "references-0-id": article.references.get().pk,
            "references-0-article": article.pk,
            "references-0-title": "Azathioprine label",
            "references-0-position": "0",
            "pinned_links-0-id": article.pinned_links.get().pk,
            "pinned_links-0-article": article.pk,
            "pinned_links-0-target": neighbour.pk,
            "pinned_links-0-position": "0",
        }
    )
    with commit():
        response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.title == "Imuran (azathioprine): uses and side effects"
    assert sorted(article.tags.names()) == ["Azathioprine", "Liver"]
    assert Reference.objects.filter(article=article).count() == 1

    # Publish with an explicit publish time, once a medical reviewer has signed it off.
    fresh = editor_client.get(change_url(article)).context["adminform"].form
    data.update(
        {
            "edit_version": fresh["edit_version"].value(),
            **sign_off_fields(make_reviewer()),
            "_workflow": Status.PUBLISHED,
            "published_at_0": timezone.localdate().isoformat(),
            "published_at_1": "00:00:00",
        }
    )
    with commit():
        response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.is_public
    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Imuran (azathioprine): uses and side effects" in page.content.decode()
    assert neighbour.title in page.content.decode()
    assert article.title in reader.get("/tag/liver/").content.decode()
    assert article.title in reader.get("/category/pain-relief/").content.decode()
    # The admin save refreshed the automatic lists after its commit.
    assert article.pk in [link.pk for link in see_also_for(neighbour)]


def test_publishing_with_an_empty_publish_time_publishes_now(editor_client, editor, pain_relief):
    data = article_form_data(
        editor_client.get(ADD_URL),
        title="Publish now",
        slug="publish-now",
        summary="Summary.",
        category=pain_relief.pk,
        author=editor.pk,
        _workflow=Status.PUBLISHED,
        **sign_off_fields(make_reviewer()),
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get(slug="publish-now").is_public


def test_publishing_without_a_medical_review_is_refused_with_a_form_error(editor_client, editor, pain_relief):
    """Two people sign off every clinical page: the author, then a medical reviewer."""
    data = article_form_data(
        editor_client.get(ADD_URL),
        title="Unreviewed",
        slug="unreviewed",
        summary="Summary.",
        category=pain_relief.pk,
        author=editor.pk,
        _workflow=Status.PUBLISHED,
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "must sign this page off" in str(errors_of(response))
    assert not Article.objects.filter(slug="unreviewed").exists()


def test_tags_sent_as_separate_values_by_the_widget_are_kept_whole(editor_client, editor, pain_relief):
    data = article_form_data(
        editor_client.get(ADD_URL),
        title="Widget tags",
        slug="widget-tags",
        summary="Summary.",
        category=pain_relief.pk,
        author=editor.pk,
    )
    data["tags"] = ["Rheumatoid arthritis"]
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, errors_of(response)
    assert list(Article.objects.get(slug="widget-tags").tags.names()) == ["Rheumatoid arthritis"]


def test_change_form_shows_existing_tags_and_view_on_site(editor_client):
    article = make_article(tags=["Imuran", "Azathioprine"])
    response = editor_client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="Imuran" selected>Imuran</option>' in html
    assert '<option value="Azathioprine" selected>Azathioprine</option>' in html
    assert "View on site" in html
    view_on_site = response.context["original"]
    assert view_on_site == article
    redirect = editor_client.get(reverse("admin:view_on_site", args=[response.context["content_type_id"], article.pk]))
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(article.get_absolute_url())


def test_reviewer_who_is_the_author_is_a_form_error(editor_client, editor, pain_relief):
    data = article_form_data(
        editor_client.get(ADD_URL),
        title="Self reviewed",
        slug="self-reviewed",
        summary="Summary.",
        category=pain_relief.pk,
        author=editor.pk,
        reviewed_by=editor.pk,
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["__all__"] == ["The medical reviewer cannot be the author."]
    assert not Article.objects.filter(slug="self-reviewed").exists()
    # What the editor typed is still there.
    assert 'value="Self reviewed"' in response.content.decode()


def test_pinning_the_same_article_twice_is_a_form_error(editor_client, editor, pain_relief):
    target = make_article()
    data = article_form_data(
        editor_client.get(ADD_URL),
        title="Twice",
        slug="twice",
        summary="Summary.",
        category=pain_relief.pk,
        author=editor.pk,
    )
    data.update(
        {
            "pinned_links-TOTAL_FORMS": "2",
            "pinned_links-0-target": target.pk,
            "pinned_links-0-position": "0",
            "pinned_links-1-target": target.pk,
            "pinned_links-1-position": "1",
        }
    )
    response = editor_client.post(ADD_URL, data)
    assert inline_errors(response, "pinned_links")[1] == {"__all__": ["Please correct the duplicate values below."]}
    assert not Article.objects.filter(slug="twice").exists()
    assert not PinnedLink.objects.exists()


def test_pinning_the_article_to_itself_is_a_form_error(editor_client, editor, pain_relief):
    article = make_article(category=pain_relief, author=editor)
    data = article_form_data(
        editor_client.get(change_url(article)),
        title=article.title,
        slug=article.slug,
        summary=article.summary,
        category=pain_relief.pk,
        author=editor.pk,
        status=article.status,
        published_at_0=timezone.localtime(article.published_at).date().isoformat(),
        published_at_1=timezone.localtime(article.published_at).time().isoformat(timespec="seconds"),
    )
    data.update(
        {
            "pinned_links-TOTAL_FORMS": "1",
            "pinned_links-0-article": article.pk,
            "pinned_links-0-target": article.pk,
            "pinned_links-0-position": "0",
        }
    )
    response = editor_client.post(change_url(article), data)
    assert inline_errors(response, "pinned_links") == [{"target": ["An article cannot be in its own 'See also' list."]}]
    assert not PinnedLink.objects.exists()


# Tag autocomplete


def test_tag_autocomplete_returns_matching_names_for_staff(editor_client):
    make_article(tags=["Azathioprine", "Imuran", "Liver"])
    response = editor_client.get(TAG_AUTOCOMPLETE_URL, {"q": "aza"})
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert [(r["id"], r["text"]) for r in payload["results"]] == [("Azathioprine", "Azathioprine")]


def test_tag_autocomplete_lists_all_tags_by_name_without_a_query(editor_client):
    make_article(tags=["Liver", "Azathioprine", "Imuran"])
    payload = json.loads(editor_client.get(TAG_AUTOCOMPLETE_URL).content)
    assert [r["text"] for r in payload["results"]] == ["Azathioprine", "Imuran", "Liver"]


def test_tag_autocomplete_sends_anonymous_users_to_login(client):
    make_article(tags=["Azathioprine"])
    response = client.get(TAG_AUTOCOMPLETE_URL, {"q": "aza"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "Azathioprine" not in response.content.decode()


def test_tag_autocomplete_refuses_logged_in_non_staff(client):
    client.force_login(make_user())
    response = client.get(TAG_AUTOCOMPLETE_URL, {"q": "aza"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Categories


def test_category_admin_adds_a_category(editor_client):
    parent = make_category(name="Medicines")
    response = editor_client.get(reverse("admin:articles_category_add"))
    assert response.status_code == 200
    response = editor_client.post(
        reverse("admin:articles_category_add"),
        {"name": "Pain Relief", "slug": "pain-relief", "description": "", "parent": parent.pk, "position": "0"},
    )
    assert response.status_code == 302, errors_of(response)
    category = Category.objects.get(slug="pain-relief")
    assert category.parent == parent
    assert editor_client.get(reverse("admin:articles_category_changelist")).status_code == 200


def test_category_admin_refuses_a_cycle(editor_client):
    root = make_category(name="Root")
    child = make_category(name="Child", parent=root)
    response = editor_client.post(
        reverse("admin:articles_category_change", args=[root.pk]),
        {"name": "Root", "slug": root.slug, "description": "", "parent": child.pk, "position": "0"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    root.refresh_from_db()
    assert root.parent is None


# The list: compact columns that fit beside the filters at 1280 px


def test_the_list_shows_state_over_publish_time_category_over_tags_and_review_due(editor_client):
    today = timezone.localdate()
    make_article(
        title="Soon",
        published_at=timezone.now() + timedelta(days=400),
        tags=["Imuran", "Azathioprine", "Liver"],
        next_review_due=today - timedelta(days=3),
    )
    html = editor_client.get(CHANGELIST_URL).content.decode()
    headers = re.findall(r'<th scope="col"[^>]*class="[^"]*column-(\w+)', html)
    assert headers == [
        "title", "state_column", "filed_column", "author", "review_column", "updated_column", "preview_link",
    ]  # fmt: skip
    assert '<span class="list-cell ">Scheduled</span><span class="list-cell__sub">' in html
    assert re.search(r'Azathioprine <span class="list-cell__more">\+2</span>', html)
    assert '<span class="list-cell list-cell--overdue">Overdue since</span>' in html
