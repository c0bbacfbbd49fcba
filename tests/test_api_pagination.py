"""Cursor pagination of the API's lists: every item once, in order, even while new items arrive."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.pagination import NEWEST_FIRST, encode_cursor
from articles.models import Article
from tests.api_helpers import get_json
from tests.factories import make_article, make_category, make_drug_class, make_published_drug

pytestmark = pytest.mark.django_db


def walk(client, url: str, *, between_pages=lambda number: None) -> list[str]:
    seen, cursor = [], None
    for number in range(1, 51):  # a cursor that does not move on would loop for ever
        page = get_json(client, url + (f"&cursor={cursor}" if cursor else ""))
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        between_pages(number)
    raise AssertionError(f"still not at the end after 50 pages: {seen[:20]}")


def test_walking_the_article_list_sees_each_article_once_in_order(client):
    now = timezone.now()
    category = make_category()
    # Two articles share a publish time: the id breaks the tie.
    articles = [make_article(category=category, published_at=now - timedelta(minutes=i // 2)) for i in range(7)]

    seen = walk(client, "/api/v1/articles/?limit=3")  # page ends split a pair with the same time

    expected = list(Article.objects.order_by("-published_at", "-pk").values_list("slug", flat=True))
    assert seen == expected and len(seen) == len(articles)


def test_articles_published_between_page_fetches_cause_no_repeat_and_no_skip(client):
    category = make_category()
    for i in range(6):
        make_article(category=category, published_at=timezone.now() - timedelta(hours=i + 1))
    before = list(Article.objects.order_by("-published_at", "-pk").values_list("slug", flat=True))
    inserted = []

    def publish_newer(number):
        inserted.append(make_article(category=category, title=f"Inserted {number}").slug)

    seen = walk(client, "/api/v1/articles/?limit=2", between_pages=publish_newer)

    assert len(inserted) == 2
    assert seen == before  # the newer ones sit before the cursor: neither repeated nor pushing others out


def test_drug_and_group_lists_walk_by_name_even_with_inserts(client):
    for name in ("delta", "alpha", "echo", "charlie"):
        make_published_drug(generic_name=name)
    seen = walk(
        client,
        "/api/v1/drugs/?limit=2",
        between_pages=lambda number: make_published_drug(generic_name=f"aaa{number}"),
    )
    assert seen == ["alpha", "charlie", "delta", "echo"]
    for name in ("b", "a", "c"):
        make_drug_class(name=f"Class {name}")
    assert walk(client, "/api/v1/drug-classes/?limit=1") == ["class-a", "class-b", "class-c"]


def test_a_deep_cursor_reads_the_rows_after_it(client):
    category = make_category()
    articles = [make_article(category=category, published_at=timezone.now() - timedelta(hours=i)) for i in range(5)]
    cursor = encode_cursor(NEWEST_FIRST, articles[2])
    assert [item["slug"] for item in get_json(client, f"/api/v1/articles/?cursor={cursor}")["items"]] == [
        articles[3].slug,
        articles[4].slug,
    ]


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "",
        "x" * 600,
        "WyIyMDI2LTAxLTAxIiwgMV0",  # plain base64 of a list: unsigned
        "%00",
        "W10:1vXyZa:forged-signature",
    ],
)
def test_bad_cursors_answer_400(client, cursor):
    make_article()
    response = client.get(f"/api/v1/articles/?cursor={cursor}")
    if cursor == "":
        assert response.status_code == 200  # an empty cursor is the first page
        return
    data = get_json(client, f"/api/v1/articles/?cursor={cursor}", status=400)
    assert "cursor" in data["detail"]


def test_a_cursor_of_one_list_is_refused_by_another(client):
    for name in ("a", "b"):
        make_published_drug(generic_name=f"drug{name}")
    cursor = get_json(client, "/api/v1/drugs/?limit=1")["next_cursor"]
    assert "cursor" in get_json(client, f"/api/v1/articles/?cursor={cursor}", status=400)["detail"]


@pytest.mark.parametrize("limit", ["0", "-1", "101", "99999999999999999999", "abc", "1.5"])
def test_page_sizes_outside_1_to_100_answer_400(client, limit):
    data = get_json(client, f"/api/v1/articles/?limit={limit}", status=400)
    assert data["errors"][0]["field"] == "limit"
