"""Every named URL of the articles app, the drug indexes and site pages reverses and resolves to its view."""

import pytest
from django.urls import resolve, reverse

from articles import views
from drugs import views as drug_views
from pages import views as page_views

ARTICLE_URLS = [
    ("articles:home", {}, "/", views.HomeView),
    ("articles:article", {"slug": "imuran-azathioprine"}, "/articles/imuran-azathioprine/", views.ArticleDetailView),
    ("articles:category-index", {}, "/category/", views.CategoryIndexView),
    ("articles:category", {"slug": "pain-relief"}, "/category/pain-relief/", views.CategoryDetailView),
    ("articles:tag-index", {}, "/tag/", views.TagIndexView),
    ("articles:tag", {"slug": "azathioprine"}, "/tag/azathioprine/", views.TagDetailView),
]

# The reader indexes of drug classes and conditions, and the site pages' catch-all.
OTHER_URLS = [
    ("drugs:class-index", {}, "/drug-classes/", drug_views.DrugClassIndexView),
    ("drugs:condition-index", {}, "/conditions/", drug_views.ConditionIndexView),
    ("pages:page", {"slug": "about"}, "/about/", page_views.PageDetailView),
    ("pages:page", {"slug": "about/editorial-policy"}, "/about/editorial-policy/", page_views.PageDetailView),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "path", "view"), ARTICLE_URLS + OTHER_URLS, ids=[u[2] for u in ARTICLE_URLS + OTHER_URLS]
)
def test_named_url_reverses_and_resolves(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert match.func.view_class is view
    assert match.kwargs == kwargs


def test_every_articles_url_is_covered():
    from articles.urls import urlpatterns

    assert {f"articles:{pattern.name}" for pattern in urlpatterns} == {u[0] for u in ARTICLE_URLS}


def test_tag_autocomplete_lives_in_the_admin():
    path = reverse("admin:articles_article_tag_autocomplete")
    assert path == "/admin/articles/article/tag-autocomplete/"
    assert resolve(path).view_name == "admin:articles_article_tag_autocomplete"


def test_site_pages_are_the_last_pattern_so_every_other_address_wins():
    from django.urls import get_resolver

    last = get_resolver().url_patterns[-1]
    assert last.namespace == "pages"
    assert resolve("/drug-classes/").view_name == "drugs:class-index"
    assert resolve("/articles/x/").view_name == "articles:article"
