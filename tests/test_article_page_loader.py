"""The article page's article, read by plain SQL (articles/article_page.py), against the queryset it stands for
(``ArticleDetailView.base_queryset``): the same fields, the same joined rows and lists, and no query afterwards."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from articles.article_page import load_article
from articles.models import FaqItem
from articles.views import ArticleDetailView
from changelog.models import ChangeNote
from publishing.models import Status
from tests.factories import (
    make_article,
    make_category,
    make_image,
    make_published_drug,
    make_reference,
    make_reviewer,
    make_user,
    sign_off,
)
from workflow.models import ReviewerProfile

pytestmark = pytest.mark.django_db


def orm_article(slug):
    return ArticleDetailView().base_queryset().published().get(slug=slug)


def fields(instance, like=None):
    """Its field values; with ``like``, only the fields ``like`` has read (not deferred)."""
    left_out = like.get_deferred_fields() if like is not None else set()
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
        if field.attname not in left_out
    }


def loaded_fields(instance):
    return fields(instance, like=instance)


def listed(article):
    """Every list the page shows, as (model, field values) rows in the page's order (tags by name: taggit's own
    statement has no order)."""
    return {
        "tags": sorted(fields(tag).items() for tag in article.tags.all()),
        "references": [fields(row) for row in article.references.all()],
        "faq_items": [fields(row) for row in article.faq_items.all()],
        "drugs": [fields(row) for row in article.drugs.all()],
        "change_notes": [fields(row) for row in article.change_notes.all()],
    }


@pytest.fixture
def full_article():
    """An article with something in every relation the page shows, and rows it must leave out."""
    parent = make_category(name="Medicines")
    category = make_category(name="Pain relief", parent=parent)
    image = make_image(caption="Tablets in a blister pack")
    published_drug = make_published_drug(generic_name="ibuprofen")
    draft_drug = make_published_drug(generic_name="naproxen", status=Status.DRAFT)
    expired_drug = make_published_drug(generic_name="aspirin", expires_at=timezone.now() - timedelta(minutes=1))
    article = make_article(
        title="Painkillers and the stomach",
        category=category,
        featured_image=image,
        tags=["NSAIDs", "Ibuprofen", "Aspirin"],
        drugs=[published_drug, draft_drug, expired_drug],
    )
    sign_off(article)
    make_reference(article, title="Second by position", position=2)
    make_reference(article, title="First by position", position=1)
    FaqItem.objects.create(article=article, question="Later?", answer="<p>Yes.</p>", position=5)
    FaqItem.objects.create(article=article, question="First?", answer="<p>No.</p>", position=1)
    ChangeNote.objects.create(page=article, date=date(2026, 1, 2), summary="Older note.")
    ChangeNote.objects.create(page=article, date=date(2026, 3, 4), summary="Newer note.", is_correction=True)
    return article


def test_the_article_and_everything_its_page_lists_are_what_the_queryset_gives(full_article, django_assert_num_queries):
    expected = orm_article(full_article.slug)
    with django_assert_num_queries(2):  # the article with its joined rows and its five lists, the image's renditions
        article = load_article(full_article.slug, published_only=True)

    with django_assert_num_queries(0):
        assert fields(article) == fields(expected)
        assert loaded_fields(article.category) == fields(expected.category, like=article.category)
        assert loaded_fields(article.category.parent) == fields(expected.category.parent, like=article.category.parent)
        assert loaded_fields(article.author) == fields(expected.author, like=article.author)
        assert loaded_fields(article.reviewed_by) == fields(expected.reviewed_by, like=article.reviewed_by)
        # What the page never shows is not read: categories' record-keeping times, people's passwords and dates.
        assert article.category.get_deferred_fields() == {"created_at", "updated_at"}
        assert article.author.get_deferred_fields() == {"password", "last_login", "date_joined"}
        assert fields(article.reviewed_by.reviewer_profile) == fields(expected.reviewed_by.reviewer_profile)
        assert fields(article.featured_image) == fields(expected.featured_image)
        assert list(article.featured_image.renditions.all()) == list(expected.featured_image.renditions.all())
        assert listed(article) == listed(expected)
        assert [drug.generic_name for drug in article.drugs.all()] == ["ibuprofen"]
        assert [row.title for row in article.references.all()] == ["First by position", "Second by position"]
        assert [note.summary for note in article.change_notes.all()] == ["Newer note.", "Older note."]


def test_a_loaded_list_chained_further_gives_nothing_rather_than_other_articles_rows(full_article):
    other = make_article(title="Another article", tags=["Paracetamol"])
    make_reference(other, title="Another article's source", position=1)
    article = load_article(full_article.slug, published_only=True)

    assert len(article.references.all()) == 2
    for listed_rows in (article.references.all(), article.tags.all(), article.change_notes.all()):
        assert list(listed_rows.filter(pk__gt=0)) == []
        assert list(listed_rows.order_by("pk")) == []


def test_tags_come_in_the_order_the_editor_added_them(full_article):
    article = load_article(full_article.slug, published_only=True)

    assert [tag.name for tag in article.tags.all()] == ["NSAIDs", "Ibuprofen", "Aspirin"]


def test_missing_joined_rows_are_known_to_be_missing_without_a_query(django_assert_num_queries):
    top = make_category(name="Top level")
    reviewer = make_reviewer()
    ReviewerProfile.objects.filter(user=reviewer).delete()
    reviewed = make_article(category=top)
    sign_off(reviewed, reviewer)
    unreviewed = make_article(category=top, author=make_user())

    article = load_article(reviewed.slug, published_only=True)
    bare = load_article(unreviewed.slug, published_only=True)

    with django_assert_num_queries(0):
        assert article.category.parent is None
        assert article.featured_image is None
        with pytest.raises(ReviewerProfile.DoesNotExist):
            article.reviewed_by.reviewer_profile  # noqa: B018  # the access is the test
        assert bare.reviewed_by is None
        assert listed(bare) == {"tags": [], "references": [], "faq_items": [], "drugs": [], "change_notes": []}


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"status": Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "unpublished", "scheduled", "expired"],
)
def test_only_a_public_article_is_loaded_for_readers_and_any_for_a_preview(overrides):
    hidden = make_article(**overrides)

    assert load_article(hidden.slug, published_only=True) is None
    assert load_article(hidden.slug, published_only=False).pk == hidden.pk


def test_an_unknown_address_loads_nothing():
    make_article(slug="known")

    assert load_article("unknown", published_only=False) is None
