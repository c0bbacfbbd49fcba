"""Readers see only published content whose publish time has come; staff may preview the rest."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.related import refresh_see_also, see_also_for
from publishing.models import Status
from tests.factories import make_article, make_category, make_user, pin

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "in-review": {"status": Status.IN_REVIEW},
    "unpublished": {"status": Status.UNPUBLISHED, "published_at": timezone.now() - timedelta(days=5)},
    "scheduled": {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
}


@pytest.fixture(params=HIDDEN.values(), ids=HIDDEN.keys())
def hidden(request):
    """A category holding one visible and one hidden article, both tagged "Liver"."""
    category = make_category(slug="liver-health")
    visible = make_article(title="Visible article", category=category, tags=["Liver", "Visible only"])
    article = make_article(title="Hidden article", category=category, tags=["Liver", "Hidden only"], **request.param)
    return article, visible


def hidden_status(article) -> int:
    """404, except for content readers could once see, which is Gone (the workflow issue)."""
    return 410 if article.is_gone else 404


def test_hidden_article_answers_404_to_anonymous_readers(client, hidden):
    article, _ = hidden
    assert client.get(article.get_absolute_url()).status_code == hidden_status(article)


def test_hidden_article_answers_404_to_logged_in_non_staff(client, hidden):
    article, _ = hidden
    client.force_login(make_user())
    assert client.get(article.get_absolute_url()).status_code == hidden_status(article)


def test_hidden_article_answers_404_to_staff_without_view_permission(client, hidden):
    article, _ = hidden
    client.force_login(make_user(is_staff=True))
    assert client.get(article.get_absolute_url()).status_code == hidden_status(article)


def test_hidden_article_is_previewable_by_staff_with_view_permission(client, hidden):
    article, _ = hidden
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article", content_type__app_label="articles"))
    client.force_login(viewer)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert '<p class="preview-banner" role="status">Preview: readers cannot see this article' in (
        response.content.decode()
    )
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_hidden_article_never_appears_in_listings(client, hidden):
    article, visible = hidden
    for url in ["/", "/category/liver-health/", "/tag/liver/"]:
        html = client.get(url).content.decode()
        assert visible.title in html, url
        assert article.title not in html, url
    only_hidden = client.get("/tag/hidden-only/")
    assert only_hidden.status_code in (200, 404)
    assert article.title not in only_hidden.content.decode()


def test_hidden_article_is_not_counted_on_the_tag_index(client, hidden):
    response = client.get("/tag/")
    counts = {row["tag__name"]: row["article_count"] for row in response.context["tags"]}
    assert counts == {"Liver": 1, "Visible only": 1}
    assert "Hidden only" not in response.content.decode()


def test_hidden_article_is_never_offered_in_see_also(client, hidden):
    article, visible = hidden
    refresh_see_also(article)
    refresh_see_also(visible)
    pin(visible, article)
    assert see_also_for(visible) == []
    assert article.title not in client.get(visible.get_absolute_url()).content.decode()


def test_staff_preview_of_a_public_article_has_no_banner(editor_client):
    article = make_article()
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "preview-banner" not in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_anonymous_reader_gets_a_cacheable_public_page(client):
    response = client.get(make_article().get_absolute_url())
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
    assert "preview-banner" not in response.content.decode()


def test_scheduled_article_appears_once_its_time_comes(client):
    soon = timezone.now() + timedelta(minutes=1)
    article = make_article(published_at=soon)
    assert client.get(article.get_absolute_url()).status_code == 404
    type(article).objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get("/").content.decode()
