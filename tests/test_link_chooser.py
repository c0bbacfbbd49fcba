"""The editor's internal link chooser: our own pages by title, as site paths, for staff who may see them."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.models import Article
from publishing.models import Status
from tests.factories import make_article, make_published_drug, make_user
from workflow.link_chooser import MAX_QUERY_LENGTH, MAX_RESULTS

pytestmark = pytest.mark.django_db

URL = reverse("link-chooser")


def results(client, term):
    response = client.get(URL, {"q": term})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_finds_articles_and_drugs_by_title_as_relative_site_paths(editor_client):
    article = make_article(title="Azathioprine and alcohol")
    drug = make_published_drug(generic_name="azathioprine")
    make_article(title="Ibuprofen basics")
    found = results(editor_client, "azathio")
    assert {(row["title"], row["url"], row["kind"]) for row in found} == {
        ("Azathioprine and alcohol", article.get_absolute_url(), "Article"),
        ("azathioprine", drug.get_absolute_url(), "Drug"),
    }
    assert all(row["url"].startswith("/") and "//" not in row["url"] for row in found)


def test_titles_starting_with_the_words_come_first(editor_client):
    make_article(title="Why azathioprine")
    make_article(title="Azathioprine dosing")
    assert [row["title"] for row in results(editor_client, "azathioprine")] == [
        "Azathioprine dosing",
        "Why azathioprine",
    ]


def test_drafts_are_offered_with_their_state(editor_client):
    make_article(title="Draft about azathioprine", status=Status.DRAFT)
    assert [row["state"] for row in results(editor_client, "draft about")] == ["Draft"]


def test_answers_at_most_twenty_rows(editor_client):
    for number in range(MAX_RESULTS + 5):
        make_article(title=f"Dose note {number:02}")
    assert len(results(editor_client, "dose note")) == MAX_RESULTS


def test_only_types_the_user_may_view_are_searched():
    make_article(title="Azathioprine guide")
    make_published_drug(generic_name="azathioprine")
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(viewer)
    assert [row["kind"] for row in results(client, "azathioprine")] == ["Article"]


def test_staff_without_view_permissions_find_nothing():
    make_article(title="Azathioprine guide")
    client = Client()
    client.force_login(make_user(is_staff=True))
    assert results(client, "azathioprine") == []


def test_readers_are_sent_to_sign_in(client):
    response = client.get(URL, {"q": "azathioprine"})
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("term", ["a" * (MAX_QUERY_LENGTH + 1), "aza\x00thio"], ids=["too long", "null byte"])
def test_hostile_searches_answer_400(editor_client, term):
    response = editor_client.get(URL, {"q": term})
    assert response.status_code == 400
    assert "error" in response.json()


def test_an_empty_search_finds_nothing(editor_client):
    make_article(title="Azathioprine guide")
    assert results(editor_client, "  ") == []


def test_only_get_is_answered(editor_client):
    assert editor_client.post(URL, {"q": "x"}).status_code == 405


def _queries_for_search(client, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        results(client, "dose")
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_site(editor_client, django_assert_max_num_queries):
    for number in range(5):
        make_article(title=f"Dose {number}")
        make_published_drug(generic_name=f"dosium {number}")
    results(editor_client, "warm up the session and permission caches")
    few = _queries_for_search(editor_client, django_assert_max_num_queries, 12)
    for number in range(5, 40):
        make_article(title=f"Dose {number}")
        make_published_drug(generic_name=f"dosium {number}")
    assert Article.objects.count() >= 40
    many = _queries_for_search(editor_client, django_assert_max_num_queries, 12)
    assert many == few
