"""Stored numbers of published articles per tag and per category, and the pages that read them."""

import json
import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles import tag_publications
from articles.counts import counted_totals, stored_totals
from articles.importing import import_articles
from articles.models import Article, CategoryArticleCount, TagAlias, TagArticleCount, TagPublication
from articles.tags import tag_merge
from publishing.models import Status
from tests.admin_helpers import form_data
from tests.factories import make_article, make_category, make_role_user, make_user
from workflow.roles import PUBLISHER

pytestmark = pytest.mark.django_db


def stored_for_tag(name: str) -> int:
    return TagArticleCount.objects.filter(tag__name=name).values_list("articles", flat=True).first() or 0


def stored_for_category(category) -> int:
    return CategoryArticleCount.objects.filter(category=category).values_list("articles", flat=True).first() or 0


def assert_stored_match_a_recount():
    """Every stored number equals a fresh count (zeros may be stored or absent), and the tag pages' rows match."""
    (tags_wanted, categories_wanted), (tags_stored, categories_stored) = counted_totals(), stored_totals()
    assert {pk: tags_stored.get(pk, 0) for pk in tags_wanted} == tags_wanted
    assert {pk: categories_stored.get(pk, 0) for pk in categories_wanted} == categories_wanted
    assert tag_publications.stored_rows() == tag_publications.wanted_rows()


def tag_index_counts(client) -> dict[str, int]:
    return {row["tag__name"]: row["article_count"] for row in client.get(reverse("articles:tag-index")).context["tags"]}


def test_publishing_and_unpublishing_move_the_counts_of_its_category_and_tags():
    category = make_category()
    article = make_article(status=Status.DRAFT, category=category, tags=["Liver", "Kidney"])
    assert stored_for_tag("Liver") == 0
    article.status, article.published_at = Status.PUBLISHED, timezone.now()
    article.save()
    assert stored_for_tag("Liver") == stored_for_tag("Kidney") == stored_for_category(category) == 1
    article.status = Status.UNPUBLISHED
    article.save()
    assert stored_for_tag("Liver") == stored_for_tag("Kidney") == stored_for_category(category) == 0
    assert_stored_match_a_recount()


def test_retagging_moving_and_deleting_a_published_article_keep_the_counts():
    old, new = make_category(), make_category()
    article = make_article(category=old, tags=["Liver"])
    article.tags.add("Kidney")
    article.tags.remove("Liver")
    assert stored_for_tag("Liver") == 0 and stored_for_tag("Kidney") == 1
    article.category = new
    article.save()
    assert stored_for_category(old) == 0 and stored_for_category(new) == 1
    article.tags.clear()
    article.tags.add("Bones")
    article.delete()
    assert stored_for_tag("Bones") == 0 and stored_for_category(new) == 0
    assert_stored_match_a_recount()


def test_a_tag_merge_carries_the_counts_to_the_surviving_tag():
    make_article(tags=["Azathioprine", "Aza"])
    make_article(tags=["Aza"])
    make_article(status=Status.DRAFT, tags=["Aza"])
    tag_merge(survivor=Tag.objects.get(name="Azathioprine"), others=[Tag.objects.get(name="Aza")])
    assert stored_for_tag("Azathioprine") == 2
    assert_stored_match_a_recount()


def test_admin_delete_and_recover_keep_the_counts(client):
    client.force_login(make_role_user(PUBLISHER))
    category = make_category()
    article = make_article(category=category, tags=["Liver"])
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(change_url, {**form_data(client, change_url), "summary": "Kept."}).status_code == 302
    assert client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}).status_code == 302
    assert stored_for_tag("Liver") == 0 and stored_for_category(category) == 0
    recover_url = reverse("admin:articles_article_recover", args=[Version.objects.get_deleted(Article).get().pk])
    assert client.post(recover_url, form_data(client, recover_url)).status_code == 302
    assert Article.objects.filter(pk=article.pk).exists()
    assert_stored_match_a_recount()


@pytest.mark.parametrize("seed", range(4))
def test_any_sequence_of_edits_leaves_the_counts_equal_to_a_recount(seed):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    categories = [make_category() for _ in range(3)]
    names = ["Liver", "Kidney", "Heart", "Skin"]
    articles = [
        make_article(status=rng.choice(list(Status)), category=rng.choice(categories), tags=rng.sample(names, 2))
        for _ in range(6)
    ]
    for _ in range(40):
        article = rng.choice(articles)
        step = rng.randrange(6)
        if step == 5:
            article.published_at = timezone.now() - timedelta(days=rng.randrange(-3, 30))
            article.save()
        elif step == 0:
            article.status = rng.choice(list(Status))
            article.published_at = article.published_at or timezone.now()
            article.save()
        elif step == 1:
            article.category = rng.choice(categories)
            article.save()
        elif step == 2:
            article.tags.add(rng.choice(names))
        elif step == 3:
            article.tags.remove(rng.choice(names))
        else:
            article.tags.set(rng.sample(names, rng.randrange(3)))
    assert_stored_match_a_recount()


def test_scheduled_articles_are_stored_but_not_shown_until_their_time(client):
    category = make_category(slug="liver-care")
    make_article(category=category, tags=["Liver"])
    make_article(category=category, tags=["Liver"], published_at=timezone.now() + timedelta(days=1))
    assert stored_for_tag("Liver") == stored_for_category(category) == 2
    assert tag_index_counts(client) == {"Liver": 1}
    assert client.get("/tag/liver/").context["paginator"].count == 1
    assert client.get("/category/liver-care/").context["paginator"].count == 1
    assert client.get("/").context["paginator"].count == 1


def test_a_tag_whose_only_articles_are_scheduled_is_not_listed_and_its_page_is_404(client):
    make_article(tags=["Soon"], published_at=timezone.now() + timedelta(hours=2))
    assert tag_index_counts(client) == {}
    assert client.get("/tag/soon/").status_code == 404


def test_pages_count_from_the_stored_numbers(client):
    category = make_category(slug="liver-care")
    for _ in range(3):
        make_article(category=category, tags=["Liver"])
    # Stored numbers, deliberately off, show that pages read them instead of counting.
    TagArticleCount.objects.filter(tag__name="Liver").update(articles=41)
    CategoryArticleCount.objects.filter(category=category).update(articles=25)
    assert client.get("/tag/liver/").context["paginator"].num_pages == 3
    assert client.get("/category/liver-care/").context["paginator"].count == 25
    assert client.get("/").context["paginator"].count == 25
    assert tag_index_counts(client) == {"Liver": 41}


def test_no_page_runs_a_count_over_the_articles(client):
    category = make_category(slug="liver-care")
    make_article(category=category, tags=["Liver"])
    for url in ("/", "/category/liver-care/", "/tag/liver/", "/tag/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in queries if 'AS "__count"' in q["sql"]], url


@pytest.mark.parametrize(
    "url", ["/?page=2", "/category/liver-care/?page=2", "/tag/liver/?page=2", "/tag/liver/?page=99999999999"]
)
def test_a_page_past_the_last_is_404(client, url):
    make_article(category=make_category(slug="liver-care"), tags=["Liver"])
    assert client.get(url).status_code == 404


def test_an_alias_group_counts_an_article_carrying_both_names_once(client):
    make_article(tags=["Imuran", "Azathioprine"])
    make_article(tags=["Imuran"])
    TagAlias.objects.create(tag=Tag.objects.get(name="Imuran"), main=Tag.objects.get(name="Azathioprine"))
    assert client.get("/tag/azathioprine/").context["paginator"].count == 2
    assert client.get("/tag/imuran/").context["paginator"].count == 2
    assert tag_index_counts(client) == {"Azathioprine": 1, "Imuran": 2}


def test_an_import_recounts_once_at_the_end():
    record = {"category": "Transplant Medicine", "tags": ["Liver"], "summary": "S.", "author": "Alex"}
    record["published_at"] = "2024-03-01T09:00:00+00:00"
    lines = [json.dumps({**record, "title": f"A {n}", "slug": f"a-{n}"}) for n in range(3)]
    import_articles(lines=lines, batch_size=2, search_index=False)
    assert stored_for_tag("Liver") == 3
    import_articles(lines=[lines[0].replace('"Liver"', '"Kidney"')], search_index=False)
    assert stored_for_tag("Liver") == 2 and stored_for_tag("Kidney") == 1
    assert_stored_match_a_recount()


def test_the_rebuild_command_reports_and_repairs_wrong_numbers():
    make_article(tags=["Liver"], author=make_user())
    make_article(tags=["Kidney"], author=make_user())
    TagArticleCount.objects.update(articles=7)
    TagPublication.objects.filter(tag__name="Kidney").delete()
    out = StringIO()
    call_command("rebuild_published_counts", "--dry-run", stdout=out)
    assert "2 stored numbers differ" in out.getvalue()
    assert "1 tag page rows differ" in out.getvalue()
    assert stored_for_tag("Liver") == 7
    call_command("rebuild_published_counts", stdout=StringIO())
    assert stored_for_tag("Liver") == 1
    assert_stored_match_a_recount()
    out = StringIO()
    call_command("rebuild_published_counts", "--dry-run", stdout=out)
    assert "0 stored numbers differ" in out.getvalue() and "0 tag page rows differ" in out.getvalue()


def test_every_page_of_a_tag_lists_its_articles_newest_first_from_the_stored_rows(client):
    start = timezone.now() - timedelta(days=100)
    for n in range(45):
        make_article(title=f"Liver note {n}", tags=["Liver"], published_at=start + timedelta(hours=n % 7, minutes=n))
    make_article(title="Liver draft", status=Status.DRAFT, tags=["Liver"])
    make_article(title="Liver soon", tags=["Liver"], published_at=timezone.now() + timedelta(days=1))
    expected = list(Article.objects.published().filter(tags__name="Liver").values_list("title", flat=True))
    shown = []
    for page in (1, 2, 3):
        response = client.get(f"/tag/liver/?page={page}")
        assert response.status_code == 200
        shown += [article.title for article in response.context["articles"]]
    assert shown == expected and len(shown) == 45
    assert client.get("/tag/liver/?page=4").status_code == 404


# The import indexes each batch for search from the articles in hand.


def search_rows() -> list[tuple]:
    from search.models import SearchEntry

    fields = ["kind", "object_id", "slug", "title", "summary", "keywords", "body", "category_id", "published_at"]
    return list(SearchEntry.objects.order_by("kind", "object_id").values_list(*fields))


def assert_import_matches_a_full_reindex(lines):
    from search.indexing import reindex_all

    import_articles(lines=[line if isinstance(line, str) else json.dumps(line) for line in lines], batch_size=2)
    imported = search_rows()
    reindex_all()
    assert search_rows() == imported
    return imported


def test_the_import_writes_the_same_search_rows_as_a_full_reindex():
    TagAlias.objects.create(
        tag=Tag.objects.create(name="Imuran", slug="imuran"),
        main=Tag.objects.create(name="Azathioprine", slug="azathioprine"),
    )
    base = {"category": "Transplant Medicine", "summary": "What  liver\ttests mean.", "author": "Alex"}
    base["published_at"] = "2024-03-01T09:00:00+02:00"
    liver = {**base, "title": "Liver tests", "slug": "liver", "tags": ["Imuran"], "body": "<h2>A</h2><p>B&amp;C</p>"}
    draft = {**base, "title": "Draft", "slug": "draft", "status": "draft", "tags": ["Liver"]}
    later = {**base, "title": "Later", "slug": "later", "published_at": "2999-01-01T00:00:00Z"}
    rows = assert_import_matches_a_full_reindex([liver, draft, later])
    assert [(row[2], row[5]) for row in rows] == [("liver", "Azathioprine Imuran"), ("later", "")]
    rows = assert_import_matches_a_full_reindex([{**draft, "status": "published"}, {**liver, "status": "unpublished"}])
    assert [row[2] for row in rows] == ["draft", "later"]


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_transaction_indexes_each_batch_with_the_same_rows():
    base = {"category": "Liver Health", "summary": "Tests.", "author": "Alex", "tags": ["Liver", "Kidney"]}
    base["published_at"] = "2024-03-01T09:00:00Z"
    lines = [json.dumps({**base, "title": f"Liver {n}", "slug": f"liver-{n}", "body": f"<p>{n}</p>"}) for n in range(5)]
    lines.append(json.dumps({**base, "title": "Draft", "slug": "draft", "status": "draft"}))
    assert_import_matches_a_full_reindex(lines)
    assert len(search_rows()) == 5


@pytest.mark.parametrize("character", [chr(code) for code in range(0x3100) if chr(code).isspace() or code < 0x80])
def test_collapsing_spaces_in_search_text_matches_the_regex_definition(character):
    import re

    from search.indexing import CONTROL_CHARACTERS, clean_text

    text = f" a{character}{character}b{character}\u00a0c\u3000 "
    expected = re.sub(r"\s+", " ", CONTROL_CHARACTERS.sub(" ", text)).strip()
    assert clean_text(text) == expected


def test_a_tag_row_saved_unchanged_writes_no_tag_page_rows_and_one_moved_to_another_tag_does():
    article = make_article(tags=["Kidney"])
    item = article.tagged_items.get()
    with CaptureQueriesContext(connection) as queries:
        item.save()  # as reverting to a revision does with each tag row it holds
    assert [query["sql"] for query in queries if "tagpublication" in query["sql"]] == []
    item.tag = Tag.objects.create(name="Liver")
    item.save()
    assert list(TagPublication.objects.filter(article=article).values_list("tag__name", flat=True)) == ["Liver"]
    assert_stored_match_a_recount()
