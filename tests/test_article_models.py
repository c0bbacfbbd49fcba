from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Category, PinnedLink, RelatedArticle
from publishing.models import Status
from tests.factories import make_article, make_category, make_reference, make_user, pin

pytestmark = pytest.mark.django_db


def test_category_str_is_its_name():
    assert str(make_category(name="Pain Relief")) == "Pain Relief"


def test_article_str_is_its_title():
    assert str(make_article(title="Imuran (azathioprine)")) == "Imuran (azathioprine)"


def test_pinned_link_reference_and_score_str_name_their_articles():
    a, b = make_article(title="Imuran"), make_article(title="Motrin")
    pin(a, b)
    link = PinnedLink.objects.get(article=a)
    assert str(link) == "Imuran → Motrin"
    assert str(make_reference(a, title="Azathioprine label")) == "Azathioprine label"
    score = RelatedArticle.objects.create(article=a, related=b, score=1.5)
    assert str(score) == "Imuran ~ Motrin (1.50)"


def test_category_url_is_its_page():
    assert make_category(name="Pain Relief", slug="pain-relief").get_absolute_url() == "/category/pain-relief/"


def test_article_url_is_its_page():
    assert make_article(slug="imuran-azathioprine").get_absolute_url() == "/articles/imuran-azathioprine/"


def test_two_articles_cannot_share_a_slug():
    make_article(slug="imuran")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="imuran")


def test_two_categories_cannot_share_a_slug():
    make_category(name="Pain Relief", slug="pain")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_category(name="Pain", slug="pain")


def test_reviewer_can_never_be_the_author():
    author = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(author=author, reviewed_by=author)


def test_reviewer_other_than_author_is_accepted():
    article = make_article(reviewed_by=make_user())
    assert article.reviewed_by != article.author


def test_published_article_needs_a_publish_time_in_the_database():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_draft_may_have_no_publish_time():
    article = make_article(status=Status.DRAFT)
    article.refresh_from_db()
    assert article.published_at is None


def test_publish_time_defaults_to_now_when_published():
    before = timezone.now()
    article = make_article(status=Status.PUBLISHED, published_at=None)
    article.refresh_from_db()
    assert before <= article.published_at <= timezone.now()
    assert article.is_public


def test_given_publish_time_is_kept_when_published():
    later = timezone.now() + timedelta(days=3)
    article = make_article(published_at=later)
    article.refresh_from_db()
    assert article.published_at == later
    assert not article.is_public


def test_article_cannot_pin_itself():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        PinnedLink.objects.create(article=article, target=article)


def test_article_cannot_pin_the_same_article_twice():
    a, b = make_article(), make_article()
    pin(a, b)
    with pytest.raises(IntegrityError), transaction.atomic():
        PinnedLink.objects.create(article=a, target=b, position=5)


def test_category_cannot_be_its_own_parent_in_the_database():
    category = make_category()
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.filter(pk=category.pk).update(parent=category)


@pytest.fixture
def tree():
    """root > child > grandchild, root > sibling, and an unrelated root."""
    root = make_category(name="Root")
    child = make_category(name="Child", parent=root)
    grandchild = make_category(name="Grandchild", parent=child)
    sibling = make_category(name="Sibling", parent=root)
    other = make_category(name="Other")
    return root, child, grandchild, sibling, other


def test_subtree_ids_cover_every_level_below(tree):
    root, child, grandchild, sibling, other = tree
    assert root.subtree_ids() == sorted([root.pk, child.pk, grandchild.pk, sibling.pk])
    assert child.subtree_ids() == sorted([child.pk, grandchild.pk])
    assert grandchild.subtree_ids() == [grandchild.pk]
    assert other.subtree_ids() == [other.pk]


def test_subtree_ids_take_one_query_however_deep(tree, django_assert_num_queries):
    root = tree[0]
    parent = tree[2]
    for depth in range(5):
        parent = make_category(name=f"Deep {depth}", parent=parent)
    with django_assert_num_queries(1):
        ids = root.subtree_ids()
    assert parent.pk in ids


def test_clean_refuses_a_category_inside_its_own_subcategory(tree):
    root, child, grandchild, *_ = tree
    root.parent = grandchild
    with pytest.raises(ValidationError) as error:
        root.clean()
    assert "parent" in error.value.message_dict


def test_clean_refuses_a_category_as_its_own_parent(tree):
    child = tree[1]
    child.parent = child
    with pytest.raises(ValidationError):
        child.clean()


def test_clean_accepts_moving_a_category_elsewhere(tree):
    root, child, grandchild, sibling, other = tree
    child.parent = other
    child.clean()
    grandchild.parent = sibling
    grandchild.clean()


def test_published_queryset_is_only_what_readers_may_see():
    now = timezone.now()
    visible = make_article()
    make_article(status=Status.DRAFT)
    make_article(status=Status.IN_REVIEW)
    make_article(status=Status.UNPUBLISHED, published_at=now - timedelta(days=1))
    make_article(published_at=now + timedelta(minutes=5))
    assert list(Article.objects.published()) == [visible]


def test_articles_are_listed_newest_first():
    now = timezone.now()
    old = make_article(published_at=now - timedelta(days=2))
    new = make_article(published_at=now - timedelta(hours=1))
    middle = make_article(published_at=now - timedelta(days=1))
    assert list(Article.objects.published()) == [new, middle, old]


def test_tags_ignore_case():
    first = make_article(tags=["Imuran"])
    second = make_article(tags=["imuran"])
    assert list(first.tags.all()) == list(second.tags.all())
    assert second.tags.get().name == "Imuran"
