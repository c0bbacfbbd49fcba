"""The listing pages' cards and counts, read with plain SQL (articles/cards.py, articles/counts.py), against the
querysets they stand for: the same articles in the same order, the same tags, images and numbers."""

import dataclasses
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone, translation
from taggit.models import Tag

from articles import cards, counts
from articles.models import Article, TagAlias
from ops.dependencies import page_dependencies
from ops.versions import list_key, model_key
from publishing.models import Status
from tests.factories import make_article, make_category, make_image, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Two categories of published articles among drafts, scheduled, expired and unpublished ones."""
    author = make_user()
    heart, skin = make_category(name="Heart"), make_category(name="Skin")
    now = timezone.now()
    for number in range(12):
        make_article(
            title=f"Heart {number}",
            category=heart if number % 3 else skin,
            author=author,
            published_at=now - timedelta(hours=number // 2),  # pairs share a time: the id breaks the tie
            tags=["Aspirin", f"Tag {number % 4}"],
        )
    make_article(title="Draft", category=heart, author=author, status=Status.DRAFT)
    make_article(title="Scheduled", category=heart, author=author, published_at=now + timedelta(days=1))
    make_article(title="Expired", category=heart, author=author, expires_at=now - timedelta(minutes=1))
    make_article(title="Unpublished", category=skin, author=author, status=Status.UNPUBLISHED)
    return heart, skin


def orm_page(queryset, offset, limit):
    return list(queryset.order_by("-published_at", "-pk")[offset : offset + limit])


@pytest.mark.parametrize(("offset", "limit"), [(0, 5), (5, 5), (10, 5), (0, 50)])
def test_the_newest_cards_are_the_published_articles_newest_first(shelf, offset, limit):
    found = cards.cards(cards.newest_ids(category_ids=None, offset=offset, limit=limit))

    expected = orm_page(Article.objects.published(), offset, limit)
    assert [card.pk for card in found] == [article.pk for article in expected]
    assert {card.title for card in found}.isdisjoint({"Draft", "Scheduled", "Expired", "Unpublished"})


def test_a_category_page_holds_only_its_categories_and_shows_each_article_as_the_orm_reads_it(shelf):
    heart, _ = shelf
    found = cards.cards(cards.newest_ids(category_ids=[heart.pk], offset=0, limit=20))

    expected = orm_page(Article.objects.published().filter(category=heart), 0, 20)
    assert [card.pk for card in found] == [article.pk for article in expected]
    for card, article in zip(found, expected, strict=True):
        assert (card.slug, card.title, card.summary) == (article.slug, article.title, article.summary)
        assert card.published_at == article.published_at  # an aware datetime on SQLite too
        assert card.get_absolute_url() == article.get_absolute_url()
        assert card.category.get_absolute_url() == article.category.get_absolute_url()
        assert [(tag.name, tag.slug) for tag in card.tag_list] == sorted(
            (tag.name, tag.slug) for tag in article.tags.all()
        )


def test_a_tag_page_lists_the_tags_articles_newest_first(shelf):
    tag = Tag.objects.get(name="Tag 1")
    found = cards.cards(cards.tag_ids(tag.pk, offset=0, limit=20))

    expected = orm_page(Article.objects.published().filter(tags=tag), 0, 20)
    assert [card.pk for card in found] == [article.pk for article in expected]
    assert len(found) == 3


@pytest.mark.parametrize(("offset", "limit"), [(0, 20), (0, 4), (4, 4), (12, 4)])
def test_an_alias_groups_page_lists_each_article_of_its_names_once_newest_first(shelf, offset, limit):
    main, alias = Tag.objects.get(name="Tag 1"), Tag.objects.get(name="Tag 2")
    TagAlias.objects.create(tag=alias, main=main)
    both = Article.objects.published().filter(tags=main).first()
    both.tags.add(alias)  # carries both names: listed and counted once
    found = cards.cards(cards.tag_group_ids(main.pk, offset=offset, limit=limit))

    group = Article.objects.published().filter(Q(tags=main) | Q(tags=alias)).distinct()
    assert [card.pk for card in found] == [article.pk for article in orm_page(group, offset, limit)]
    assert counts.tag_group_public_count(main.pk) == group.count() == 6


def test_a_featured_image_comes_with_its_fields_converted_and_its_renditions(shelf, django_assert_max_num_queries):
    image = make_image(alt_text="A heart", decorative=False)
    article = Article.objects.published().order_by("-published_at", "-pk").first()
    Article.objects.filter(pk=article.pk).update(featured_image=image)

    with django_assert_max_num_queries(2):  # cards with their tags, renditions
        found = cards.cards(cards.newest_ids(category_ids=None, offset=0, limit=3))

    shown = found[0].featured_image
    assert shown.pk == image.pk
    assert (shown.alt_text, shown.decorative, shown.width, shown.uploaded_at) == (
        image.alt_text,
        False,  # a boolean, not SQLite's 0
        image.width,
        image.uploaded_at,
    )
    assert "renditions" in shown._prefetched_objects_cache
    assert [card.featured_image for card in found[1:]] == [None, None]


def test_a_page_of_cards_depends_on_each_article_its_category_its_image_and_the_tags(shelf):
    image = make_image()
    article = Article.objects.published().order_by("-published_at", "-pk").first()
    Article.objects.filter(pk=article.pk).update(featured_image=image)
    found = cards.cards(cards.newest_ids(category_ids=None, offset=0, limit=2))

    keys = page_dependencies("articles:category", {"articles": found})

    assert {model_key("articles.article", card.pk) for card in found} <= keys
    assert model_key("articles.category", found[0].category.pk) in keys
    assert model_key("images.image", image.pk) in keys
    assert list_key("taggit.tag") in keys


def test_the_stored_counts_equal_a_count_of_what_readers_see(shelf):
    heart, skin = shelf
    published = Article.objects.published()

    assert counts.categories_public_count() == published.count() + 1  # the expired one waits for the workflow
    assert counts.categories_public_count([heart.pk]) == published.filter(category=heart).count() + 1
    assert counts.categories_public_count([skin.pk]) == published.filter(category=skin).count()
    assert counts.categories_public_count([]) == 0
    tag = Tag.objects.get(name="Aspirin")
    assert counts.tag_public_count(tag.pk) == published.filter(tags=tag).count() == 12


# --- Kept card HTML (cards.kept_card) ---


class CountingRender:
    """Stands in for the template's ``card`` macro, counting the cards it is asked to render."""

    def __init__(self):
        self.calls = 0

    def __call__(self, article, level, zone):
        self.calls += 1
        return f"<article>{article.title} h{level} {zone}</article>"


def one_card(**changes):
    card = cards.cards(cards.newest_ids(category_ids=None, offset=0, limit=1))[0]
    return dataclasses.replace(card, **changes)


def test_a_card_is_rendered_once_for_the_same_values_and_again_when_any_changes(shelf):
    render, zone = CountingRender(), timezone.get_current_timezone()
    card, setting = one_card(title="Kept card"), cards.card_setting(3, zone)
    first = cards.kept_card(render, card, setting)
    assert cards.kept_card(render, one_card(title="Kept card"), setting) == first  # an equal card, read again
    assert render.calls == 1
    cards.kept_card(render, one_card(title="Kept card, renamed"), setting)
    cards.kept_card(render, card, cards.card_setting(2, zone))  # another heading level
    cards.kept_card(render, dataclasses.replace(card, tag_list=card.tag_list[:1]), setting)  # a tag fewer
    with translation.override("de"):
        cards.kept_card(render, card, cards.card_setting(3, zone))  # its date written in another language
    assert render.calls == 5


def test_cards_with_an_image_and_article_instances_are_rendered_every_time(shelf):
    render, setting = CountingRender(), cards.card_setting(3, timezone.get_current_timezone())
    with_image = one_card(featured_image=make_image())
    article = Article.objects.published().for_listing().first()
    for _ in range(2):
        cards.kept_card(render, with_image, setting)
        cards.kept_card(render, article, setting)
    assert render.calls == 4


def test_a_listing_page_shows_a_renamed_tag_and_an_edited_summary_at_once(client, shelf):
    heart, _ = shelf
    url = heart.get_absolute_url()
    client.get(url)
    client.get(url)  # its cards kept now
    Tag.objects.filter(name="Aspirin").update(name="Acetylsalicylic acid")
    article = Article.objects.published().filter(category=heart).order_by("-published_at", "-pk").first()
    Article.objects.filter(pk=article.pk).update(summary="A corrected summary.")
    html = client.get(url).content.decode()
    assert "Acetylsalicylic acid" in html and "Aspirin" not in html
    assert "A corrected summary." in html
