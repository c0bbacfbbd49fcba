"""The fast helpers reader pages use in their loops give exactly what the slow, general ones give."""

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Category, CategoryTree, all_categories
from articles.templatetags.pages import datetime_attr
from medsite.jinja import in_zone, long_date
from publishing.slug_urls import slug_url
from tests.factories import make_category

SLUG_VIEWS = ["articles:article", "articles:category", "articles:tag", "drugs:drug", "drugs:class", "drugs:condition"]


@given(view_name=st.sampled_from(SLUG_VIEWS), slug=st.from_regex(r"[-a-zA-Z0-9_]+", fullmatch=True))
def test_slug_url_equals_reverse(view_name, slug):
    assert slug_url(view_name, slug) == reverse(view_name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "with space", "ünïcode", "a/b", "x?y"])
def test_a_slug_reverse_refuses_is_refused_the_same_way(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("articles:tag", slug)


def test_slug_url_follows_the_script_prefix():
    set_script_prefix("/health/")
    try:
        assert slug_url("articles:article", "ibuprofen") == "/health/articles/ibuprofen/"
        assert slug_url("articles:article", "ibuprofen") == reverse("articles:article", kwargs={"slug": "ibuprofen"})
    finally:
        clear_script_prefix()
    assert slug_url("articles:article", "ibuprofen") == "/articles/ibuprofen/"


@given(moment=st.datetimes(timezones=st.just(UTC)) | st.datetimes())
def test_datetime_attr_equals_the_date_filter(moment):
    assert datetime_attr(moment) == date_filter(moment, r"Y-m-d\TH:i:sO")


@given(moment=st.datetimes(timezones=st.just(UTC)) | st.datetimes(), language=st.sampled_from(["en-gb", "de", "fr"]))
def test_long_date_equals_the_date_filter_in_the_active_language(moment, language):
    with translation.override(language):
        assert long_date(in_zone(moment, timezone.get_current_timezone())) == date_filter(moment, "j F Y")


def test_datetime_attr_has_no_microseconds():
    assert datetime_attr(datetime(2026, 3, 1, 9, 30, 5, 123456, tzinfo=UTC)).startswith("2026-03-01T")
    assert "." not in datetime_attr(datetime(2026, 3, 1, 9, 30, 5, 123456, tzinfo=UTC))


@pytest.mark.django_db
def test_category_tree_links_parents_children_and_subtrees_from_one_query(django_assert_num_queries):
    top = make_category(name="Medicines")
    middle = make_category(name="Pain Relief", parent=top)
    bottom = make_category(name="Nerve Pain", parent=middle)
    other = make_category(name="Sleep")
    with django_assert_num_queries(1):
        tree = CategoryTree()
        found = tree.by_slug[bottom.slug]
        assert found.parent.parent == top  # walking up costs nothing
        assert tree.subtree_ids(tree.by_pk[top.pk]) == sorted([top.pk, middle.pk, bottom.pk])
        assert tree.children(tree.by_pk[top.pk]) == [middle]
        assert set(tree.roots()) == {top, other}
    assert Category.objects.count() == 4


@pytest.mark.django_db
def test_all_categories_reads_what_the_queryset_reads_in_its_order():
    make_category(name="Sleep", position=2)
    make_category(name="Allergy", position=2, featured=True, parent=make_category(name="Medicines", position=1))
    make_category(name="Bones", position=0)

    def fields(category):
        return {field.attname: getattr(category, field.attname) for field in Category._meta.concrete_fields}

    assert [fields(category) for category in all_categories()] == [fields(c) for c in Category.objects.all()]
    assert [category.name for category in all_categories()] == ["Bones", "Medicines", "Allergy", "Sleep"]
