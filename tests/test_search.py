"""Site search: ranking, filters, highlighting, drug names, hostile input, index upkeep, query budget.

Every test runs on whichever database the suite runs on (SQLite FTS5 by
default, PostgreSQL full-text search with DATABASE_URL), so the two
backends are held to the same behaviour.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from drugs.models import NameKind
from publishing.models import Status
from search import backends, services
from search.backends import PostgresBackend, SqliteBackend, get_backend
from search.indexing import reindex_all
from search.models import Kind, SearchEntry
from tests.factories import make_article, make_category, make_drug_name, make_published_drug, make_user

pytestmark = pytest.mark.django_db


def results(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content[:500]
    return response


def titles(response) -> list[str]:
    return [re.sub(r"</?mark>", "", str(hit.title_html)) for hit in response.context["outcome"].hits]


@pytest.fixture
def author():
    return make_user()


def test_the_backend_matches_the_database():
    expected = {"postgresql": PostgresBackend, "sqlite": SqliteBackend}[connection.vendor]
    assert isinstance(get_backend(), expected)


def test_title_outranks_summary_outranks_tags_outranks_body(client, author):
    category = make_category()
    common = {"category": category, "author": author}
    make_article(title="Body only", summary="Nothing here.", body="<p>The hepatic words: liver.</p>", **common)
    make_article(title="Tagged", summary="Nothing here.", body="<p>Plain.</p>", tags=["Liver"], **common)
    make_article(title="In summary", summary="About the liver.", body="<p>Plain.</p>", **common)
    make_article(title="Liver care", summary="Nothing here.", body="<p>Plain.</p>", **common)
    # Many body mentions do not lift a body-only match above a title match.
    make_article(title="Wordy", summary="Nothing.", body="<p>" + "liver " * 200 + "</p>", **common)
    make_article(title="Unrelated", summary="Kidneys.", body="<p>Kidney.</p>", **common)
    reindex_all()

    found = titles(results(client, q="liver"))

    assert found[:3] == ["Liver care", "In summary", "Tagged"]
    assert set(found[3:]) == {"Body only", "Wordy"}
    assert "Unrelated" not in found


def test_every_word_must_match_and_stems_match(client, author):
    make_article(title="Kidney transplant medicines", author=author)
    make_article(title="Kidney stones", author=author)
    reindex_all()
    assert titles(results(client, q="kidney transplants")) == ["Kidney transplant medicines"]


def test_only_published_content_whose_time_has_come_is_found(client, author):
    make_article(title="Liver published", author=author)
    make_article(title="Liver scheduled", author=author, published_at=timezone.now() + timedelta(days=1))
    make_article(title="Liver draft", author=author, status=Status.DRAFT)
    make_published_drug(generic_name="liverzumab", summary="A liver drug.")
    make_published_drug(generic_name="hepatomab", summary="A liver drug.", status=Status.DRAFT)
    reindex_all()

    assert set(titles(results(client, q="liver"))) == {"Liver published", "Liverzumab"}
    assert SearchEntry.objects.filter(title="Liver scheduled").exists()  # indexed, waiting for its time
    assert not SearchEntry.objects.filter(title__in=["Liver draft", "Hepatomab"]).exists()


def test_filters_by_kind_category_with_subcategories_and_tag(client, author):
    parent = make_category(name="Gut")
    child = make_category(name="Liver disease", parent=parent)
    other = make_category(name="Skin")
    make_article(title="Liver in parent", category=parent, author=author, tags=["Hepatology"])
    make_article(title="Liver in child", category=child, author=author)
    make_article(title="Liver in other", category=other, author=author, tags=["Hepatology"])
    make_published_drug(generic_name="liverol", summary="For the liver.")
    reindex_all()

    assert set(titles(results(client, q="liver", kind="drug"))) == {"Liverol"}
    assert set(titles(results(client, q="liver", kind="article"))) == {
        "Liver in parent",
        "Liver in child",
        "Liver in other",
    }
    assert set(titles(results(client, q="liver", category=parent.slug))) == {"Liver in parent", "Liver in child"}
    assert set(titles(results(client, q="liver", tag="hepatology"))) == {"Liver in parent", "Liver in other"}
    # Counted within the filter (SQLite counts filtered searches from the filter's side).
    totals = {
        "kind": results(client, q="liver", kind="drug").context["outcome"].total,
        "category": results(client, q="liver", category=parent.slug).context["outcome"].total,
        "tag": results(client, q="liver", tag="hepatology").context["outcome"].total,
    }
    assert totals == {"kind": 1, "category": 2, "tag": 2}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "liver", "kind": "video"}, "Select a valid choice"),
        ({"q": "liver", "category": "no-such-category"}, "Select a valid choice"),
        ({"q": "liver", "tag": "no-such-tag"}, "No tag has this address"),
        ({"q": "liver", "page": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_filters_answer_400_with_a_message(client, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_results_are_paginated_and_page_one_has_no_page_parameter(client, author):
    category = make_category()
    for i in range(25):
        make_article(title=f"Liver note {i}", category=category, author=author)
    reindex_all()

    first = results(client, q="liver")
    second = results(client, q="liver", page=2)
    last = results(client, q="liver", page=3)

    assert len(first.context["outcome"].hits) == len(second.context["outcome"].hits) == 10
    assert len(last.context["outcome"].hits) == 5
    assert not set(titles(first)) & set(titles(second))
    assert first.context["next_url"].endswith("page=2")
    assert "page=" not in second.context["previous_url"]
    assert client.get("/search/", {"q": "liver", "page": 4}).status_code == 404


def test_result_count_is_capped_and_ranking_stays_tiered(client, author, monkeypatch):
    monkeypatch.setattr(backends, "MAX_RESULTS", 5)
    monkeypatch.setattr(services, "MAX_RESULTS", 5)
    category = make_category()
    for i in range(6):
        make_article(title=f"Note {i}", summary="Nothing.", body="<p>liver</p>", category=category, author=author)
    make_article(title="Liver first", summary="Nothing.", category=category, author=author)
    reindex_all()

    response = results(client, q="liver")

    outcome = response.context["outcome"]
    assert outcome.more and outcome.total == 5
    assert titles(response)[0] == "Liver first"
    assert "More than 5 results" in response.content.decode()


def dated(days_ago: int, **fields):
    return make_article(published_at=timezone.now() - timedelta(days=days_ago), **fields)


def test_past_the_cap_only_the_newest_head_matches_are_ranked(client, author, monkeypatch):
    monkeypatch.setattr(backends, "MAX_RESULTS", 4)
    monkeypatch.setattr(services, "MAX_RESULTS", 4)
    common = {"summary": "Nothing.", "body": "<p>Plain.</p>", "author": author}
    dated(1, title="Liver note one", **common)
    dated(2, title="Liver note two", **common)
    dated(3, title="Liver and liver tests, liver", **common)  # the strongest match among the newest four
    dated(4, title="Liver note four", **common)
    dated(5, title="Liver note five", **common)
    # Strong, but older than the candidates (the newest four; PostgreSQL takes one more to count past the cap).
    dated(6, title="Liver liver liver liver, older", **common)
    reindex_all()

    found = titles(results(client, q="liver"))

    assert found[0] == "Liver and liver tests, liver"
    assert sorted(found[1:]) == sorted(["Liver note one", "Liver note two", "Liver note four"])


def test_past_the_cap_body_only_matches_come_newest_first_page_after_page(client, author, monkeypatch):
    monkeypatch.setattr(backends, "MAX_RESULTS", 6)
    monkeypatch.setattr(services, "MAX_RESULTS", 6)
    common = {"summary": "Nothing.", "author": author}
    dated(9, title="Liver first", body="<p>Plain.</p>", **common)
    for days in (5, 1, 7, 3, 2, 8, 4):
        dated(days, title=f"Body {days}", body="<p>Something about the liver.</p>", **common)
    reindex_all()

    outcome = get_backend().search(backends.Query(terms=("liver",), now=timezone.now()), offset=0, limit=6)
    later = get_backend().search(backends.Query(terms=("liver",), now=timezone.now()), offset=3, limit=3)

    shown = [re.sub(r"</?mark>", "", str(hit.title_html)) for hit in outcome.hits]
    assert outcome.more and shown == ["Liver first", "Body 1", "Body 2", "Body 3", "Body 4", "Body 5"]
    assert [re.sub(r"</?mark>", "", str(hit.title_html)) for hit in later.hits] == shown[3:6]


def test_snippets_highlight_words_and_escape_the_content(client, author):
    make_article(
        title="<b>Liver</b> & kidneys",
        summary='Summary with <img src=x onerror="alert(1)"> and liver.',
        body="<p>Text &lt;script&gt;alert('body')&lt;/script&gt; then liver tests.</p>",
        author=author,
    )
    reindex_all()

    html = results(client, q="liver").content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;<mark>Liver</mark>&lt;/b&gt; &amp; kidneys" in html
    # SQLite shows the tag-like text escaped; PostgreSQL's headline parser drops it. Neither runs it.
    assert "alert(&#x27;body&#x27;)" in html
    assert "then <mark>liver</mark>" in html


def test_the_query_is_escaped_wherever_it_is_shown(client):
    html = client.get("/search/", {"q": '<script>alert("q")</script>'}).content.decode()
    assert '<script>alert("q")' not in html
    assert "&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt;" in html


HOSTILE_QUERIES = [
    '"',
    '"liver',
    "'liver'",
    "liver AND kidney OR NOT skin",
    "NOT",
    "AND OR NOT",
    "*",
    "liv*",
    "(liver",
    "liver)) OR ((",
    "{title}: liver",
    "title:liver",
    "NEAR(liver kidney, 2)",
    "liver & !kidney | skin <-> x:*",
    "'; DROP TABLE search_searchentry; --",
    "1 OR 1=1",
    "%_%",
    "liver\x00kidney",
    "\x00",
    "\\",
    "x" * 10_000,
    "liver " * 2_000,
    "\u202e\ufeff\U0001f600 liver",
    "   ",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_answer_200_or_400_never_500(client, author, query):
    make_article(title="Liver and kidney", author=author)
    reindex_all()
    for params in ({"q": query}, {"q": query, "kind": "article"}, {"q": query, "page": "2"}):
        response = client.get("/search/", params)
        assert response.status_code in (200, 400, 404), (query[:40], response.status_code)
    assert client.get("/search/", {"q": query}).status_code in (200, 400)
    assert SearchEntry.objects.count() == 1


def test_too_long_queries_get_a_clear_message(client):
    response = client.get("/search/", {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


@pytest.fixture
def azathioprine():
    drug = make_published_drug(generic_name="azathioprine", summary="An immunosuppressant.")
    make_drug_name(drug, name="Imuran", kind=NameKind.BRAND)
    make_drug_name(drug, name="Azasan", kind=NameKind.BRAND)
    make_published_drug(generic_name="ibuprofen", summary="A painkiller (NSAID).")
    return drug


@pytest.mark.parametrize(
    ("typed", "offered", "query"),
    [
        ("azathiaprine", "azathioprine", "azathioprine"),
        ("ibuprophen", "ibuprofen", "ibuprofen"),
        ("imuraan", "Imuran (azathioprine)", "imuran"),
        ("Azathioprin side effects", "azathioprine side effects", "azathioprine side effects"),
    ],
)
def test_misspelled_drug_names_get_did_you_mean(client, azathioprine, typed, offered, query):
    reindex_all()
    response = results(client, q=typed)
    suggestion = response.context["outcome"].suggestion
    assert suggestion.label == offered
    assert suggestion.query == query
    assert f'Did you mean <a href="/search/?q={query.replace(" ", "+")}">{offered}</a>?' in response.content.decode()


def test_real_words_and_exact_names_get_no_suggestion(client, azathioprine):
    reindex_all()
    assert results(client, q="azathioprine").context["outcome"].suggestion is None
    assert results(client, q="kidney").context["outcome"].suggestion is None


@pytest.mark.parametrize("typed", ["Imuran", "imuran", "AZATHIOPRINE", " azasan "])
def test_an_exact_drug_or_brand_name_puts_that_drug_first(client, author, azathioprine, typed):
    for i in range(3):
        make_article(title=f"Imuran and azathioprine azasan guide {i}", author=author, tags=["Imuran", "Azasan"])
    reindex_all()
    response = results(client, q=typed)
    outcome = response.context["outcome"]
    assert outcome.hits[0].kind == Kind.DRUG
    assert outcome.hits[0].object_id == azathioprine.pk
    assert outcome.total == 4
    assert len({hit.id for hit in outcome.hits}) == 4


def test_the_pinned_drug_is_not_repeated_on_later_pages(client, author, azathioprine):
    category = make_category()
    for i in range(25):
        make_article(title=f"Imuran {i}", author=author, category=category)
    reindex_all()
    first = results(client, q="imuran").context["outcome"]
    later = [results(client, q="imuran", page=page).context["outcome"] for page in (2, 3)]
    ids = [hit.id for outcome in [first, *later] for hit in outcome.hits]
    assert first.total == 26 and len(ids) == 26 == len(set(ids))
    assert first.hits[0].object_id == azathioprine.pk


def test_drug_names_and_classes_are_searchable(client, azathioprine):
    reindex_all()
    assert titles(results(client, q="azasan", kind="drug")) == ["Azathioprine"]


def test_index_follows_saves_retagging_and_deletes(client, author, commit):
    with commit():
        article = make_article(title="Gut health", summary="Plain.", body="<p>Plain.</p>", author=author)
    assert titles(results(client, q="gut")) == ["Gut health"]

    with commit():
        article.tags.add("Hepatology")
    assert titles(results(client, q="hepatology")) == ["Gut health"]

    with commit():
        article.title = "Bowel health"
        article.save()
    assert titles(results(client, q="bowel")) == ["Bowel health"]
    assert titles(results(client, q="gut")) == []

    with commit():
        article.status = Status.UNPUBLISHED
        article.save()
    assert titles(results(client, q="bowel")) == []

    with commit():
        article.status = Status.PUBLISHED
        article.save()
    with commit():
        article.delete()
    assert not SearchEntry.objects.exists()


def test_index_follows_drug_names_and_the_name_cache_is_refreshed(client, commit):
    with commit():
        drug = make_published_drug(generic_name="naproxen")
    assert results(client, q="naprelann").context["outcome"].suggestion is None
    with commit():
        make_drug_name(drug, name="Naprelan")
    assert titles(results(client, q="naprelan")) == ["Naproxen"]
    assert results(client, q="naprelann").context["outcome"].suggestion.label == "Naprelan (naproxen)"


def test_one_save_with_tags_refreshes_the_row_once(commit, author):
    from search.signals import _Refresh

    with commit() as callbacks:
        article = make_article(author=author)
        article.tags.add("Liver", "Skin")
        article.save()
    assert len([callback for callback in callbacks if isinstance(callback, _Refresh)]) == 1


def test_reindex_all_gives_the_same_rows_as_the_signals(commit, author, azathioprine):
    with commit():
        make_article(title="One", author=author, tags=["Liver"])
        make_article(title="Two", author=author, status=Status.DRAFT)
    columns = ["kind", "object_id", "title", "summary", "keywords", "body", "category_id", "published_at"]
    from articles.models import Article
    from drugs.models import Drug
    from search.indexing import reindex_articles, reindex_drugs

    reindex_articles(Article.objects.values_list("pk", flat=True))
    reindex_drugs(Drug.objects.values_list("pk", flat=True))
    incremental = sorted(SearchEntry.objects.values_list(*columns))
    assert reindex_all() == len(incremental) == 3
    assert sorted(SearchEntry.objects.values_list(*columns)) == incremental


SEARCH_QUERY_BUDGET = 7  # categories, drug names (2, then cached), pinned entry, counts, head page, body page, hits


def _grow(author, category, step, count):
    for i in range(count):
        make_article(
            title=f"Liver {step}-{i}",
            summary="Liver summary.",
            body="<p>liver kidney</p>",
            author=author,
            category=category,
            tags=[f"Tag {step}-{i}", "Shared"],
        )
        make_article(title=f"Body {step}-{i}", summary="Other.", body="<p>liver</p>", author=author, category=category)
    reindex_all()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "liver", "page": "2"},
        {"q": "imuran"},
        {"q": "azathiaprine kidney"},
        {"q": "liver", "kind": "article", "tag": "shared"},
    ],
    ids=["word", "exact-drug", "suggestion", "filtered"],
)
def test_search_query_budget_is_fixed(client, author, azathioprine, params, django_assert_max_num_queries):
    category = make_category()
    params = {**params, "category": category.slug} if "tag" in params else params
    _grow(author, category, 0, 11)
    client.get("/search/", params)
    with django_assert_max_num_queries(SEARCH_QUERY_BUDGET):
        assert client.get("/search/", params).status_code == 200
    _grow(author, category, 1, 22)
    with django_assert_max_num_queries(SEARCH_QUERY_BUDGET):
        response = client.get("/search/", params)
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.hits or outcome.suggestion


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("search:search", {}, "/search/"),
        ("search:robots", {}, "/robots.txt"),
        ("search:sitemap", {}, "/sitemap.xml"),
        ("search:sitemap-section", {"section": "articles"}, "/sitemap-articles.xml"),
        ("feeds:latest", {}, "/feeds/latest/"),
        ("feeds:latest-atom", {}, "/feeds/latest/atom/"),
        ("feeds:category", {"slug": "pain-relief"}, "/feeds/category/pain-relief/"),
        ("feeds:category-atom", {"slug": "pain-relief"}, "/feeds/category/pain-relief/atom/"),
        ("feeds:tag", {"slug": "imuran"}, "/feeds/tag/imuran/"),
        ("feeds:tag-atom", {"slug": "imuran"}, "/feeds/tag/imuran/atom/"),
    ],
)
def test_urls_reverse_and_resolve(name, kwargs, path):
    from django.urls import resolve, reverse

    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_a_tag_alias_makes_articles_findable_by_either_name(commit):
    """Readers know brand names, writers use generic ones: "Imuran" finds an article tagged "Azathioprine"."""
    from taggit.models import Tag

    from articles.models import TagAlias

    with commit():
        article = make_article(title="Thiopurine blood tests", tags=["Azathioprine"], body="<p>Monitoring.</p>")
        make_article(title="Unrelated", tags=["Sleep"])
        TagAlias.objects.create(tag=Tag.objects.create(name="Imuran"), main=Tag.objects.get(name="Azathioprine"))
    found = [hit.object_id for hit in services.search_site(text="Imuran").hits if hit.kind == "article"]
    assert found == [article.pk]


def test_changing_an_alias_reindexes_every_article_of_its_group_on_the_worker(commit):
    from taggit.models import Tag

    from articles.models import TagAlias

    def found(word):
        return [hit.object_id for hit in services.search_site(text=word).hits if hit.kind == "article"]

    with commit():
        generic = make_article(title="Thiopurine blood tests", tags=["Azathioprine"], body="<p>Monitoring.</p>")
        brand = make_article(title="Taking tablets with food", tags=["Imuran"], body="<p>Meals.</p>")
        main = Tag.objects.get(name="Azathioprine")
        TagAlias.objects.create(tag=Tag.objects.get(name="Imuran"), main=main)
    with commit(run_tasks=False):
        azasan = TagAlias.objects.create(tag=Tag.objects.create(name="Azasan"), main=main)
    assert found("Azasan") == []  # the worker has not run yet
    with commit():
        pass
    assert sorted(found("Azasan")) == sorted([generic.pk, brand.pk])  # the other alias's articles too
    with commit():
        azasan.delete()
    assert found("Azasan") == []
