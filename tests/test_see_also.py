"""The "See also" list: pinned links first, then articles sharing the rarest tags.

Lists are computed when an article is saved or re-tagged, by the task
worker after the transaction commits. Tests use the ``commit`` fixture
(tests/conftest.py) to run that work, or call ``refresh_see_also`` directly.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, RelatedArticle
from articles.related import SEE_ALSO_LIMIT, rebuild_all, refresh_see_also, see_also_for
from articles.signals import _RefreshSeeAlso, see_also_deferred
from publishing.models import Status
from tests.factories import make_article, make_category, make_user, pin

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def titles(articles):
    return [a.title for a in articles]


def pks(articles):
    """The ids of articles or of "See also" entries, in order: the list holds plain entries, not instances."""
    return [a.pk for a in articles]


def refresh(*articles):
    for article in articles:
        article.refresh_from_db()
        refresh_see_also(article)


# Which articles, in which order


def test_list_holds_at_most_five(commit):
    with commit():
        article = make_article(tags=["Liver"])
        for _ in range(SEE_ALSO_LIMIT + 3):
            make_article(tags=["Liver"])
    assert SEE_ALSO_LIMIT == 5
    assert len(see_also_for(article)) == 5


def test_pinned_come_first_in_the_editors_order(commit):
    with commit():
        article = make_article(title="Imuran", tags=["Liver"])
        automatic = make_article(title="Automatic", tags=["Liver"])
        first = make_article(title="Pinned first", tags=["Skin"])
        second = make_article(title="Pinned second", tags=["Skin"])
    pin(article, second, first)  # positions 0, 1: the editor put "second" on top
    assert titles(see_also_for(article)) == ["Pinned second", "Pinned first", automatic.title]


def test_pinned_links_alone_are_capped_at_five():
    article = make_article()
    targets = [make_article(title=f"Pinned {i}") for i in range(7)]
    pin(article, *targets)
    assert titles(see_also_for(article)) == [f"Pinned {i}" for i in range(5)]


def test_a_rare_shared_tag_outweighs_a_common_one(commit):
    category = make_category()
    with commit():
        for _ in range(6):
            make_article(tags=["Pain"])
        article = make_article(title="Imuran", category=category, tags=["Pain", "Azathioprine"])
        rare = make_article(title="Shares the rare tag", tags=["Azathioprine"], published_at=hours_ago(48))
        # Same category and newer: it would win every tie-break, but not on score.
        common = make_article(
            title="Shares the common tag", category=category, tags=["Pain"], published_at=hours_ago(0.5)
        )
    listed = titles(see_also_for(article))
    assert listed.index(rare.title) < listed.index(common.title)
    assert listed[0] == rare.title


def test_more_shared_tags_rank_higher(commit):
    with commit():
        article = make_article(tags=["Imuran", "Liver", "Skin"])
        one = make_article(title="Shares one", tags=["Liver"], published_at=hours_ago(0.1))
        two = make_article(title="Shares two", tags=["Liver", "Skin"], published_at=hours_ago(5))
    assert titles(see_also_for(article)) == [two.title, one.title]


def test_ties_go_to_the_same_category_then_the_newest(commit):
    category = make_category()
    with commit():
        article = make_article(title="Imuran", category=category, tags=["Liver"], published_at=hours_ago(10))
        other_newest = make_article(title="Other category, newest", tags=["Liver"], published_at=hours_ago(1))
        same_older = make_article(title="Same, older", category=category, tags=["Liver"], published_at=hours_ago(4))
        same_newer = make_article(title="Same, newer", category=category, tags=["Liver"], published_at=hours_ago(2))
        other_older = make_article(title="Other category, older", tags=["Liver"], published_at=hours_ago(3))
    assert pks(see_also_for(article)) == pks([same_newer, same_older, other_newest, other_older])


def test_article_is_never_in_its_own_list(commit):
    with commit():
        article = make_article(tags=["Liver"])
        make_article(tags=["Liver"])
    assert article.pk not in pks(see_also_for(article))
    assert not RelatedArticle.objects.filter(article=article, related=article).exists()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.UNPUBLISHED, "published_at": timezone.now() - timedelta(days=1)},
        {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
        # Its unpublish time has passed; the workflow's next run moves it to unpublished.
        {"status": Status.PUBLISHED, "expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled", "expired"],
)
def test_never_lists_what_readers_cannot_see_even_when_pinned(commit, hidden):
    with commit():
        article = make_article(tags=["Liver"])
        visible = make_article(title="Visible", tags=["Liver"])
        invisible = make_article(title="Invisible", tags=["Liver"], **hidden)
    pin(article, invisible)
    refresh(article, invisible)
    assert pks(see_also_for(article)) == pks([visible])


def test_pinned_article_is_not_listed_twice(commit):
    with commit():
        article = make_article(tags=["Liver"])
        both = make_article(title="Pinned and automatic", tags=["Liver"], published_at=hours_ago(1))
        others = [make_article(tags=["Liver"], published_at=hours_ago(2 + i)) for i in range(5)]
    pin(article, both)
    listed = pks(see_also_for(article))
    assert listed[0] == both.pk
    assert len(listed) == 5
    assert listed.count(both.pk) == 1
    assert listed[1:] == pks(others[:4])


# Keeping the stored lists up to date


def test_saving_and_tagging_in_one_transaction_refreshes_once(commit):
    with commit() as callbacks:
        article = make_article()
        article.tags.add("Liver")
        article.tags.add("Skin")
        article.save()
    assert len([callback for callback in callbacks if isinstance(callback, _RefreshSeeAlso)]) == 1


def test_lists_are_filled_automatically_on_commit(commit):
    with commit():
        article = make_article(tags=["Liver"])
        neighbour = make_article(tags=["Liver"])
    assert pks(see_also_for(article)) == pks([neighbour])
    assert pks(see_also_for(neighbour)) == pks([article])


def test_nothing_is_computed_before_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = make_article(tags=["Liver"])
        make_article(tags=["Liver"])
    assert callbacks
    assert not RelatedArticle.objects.filter(article=article).exists()


def test_deferred_block_skips_recomputation(commit):
    with commit() as callbacks, see_also_deferred():
        make_article(tags=["Liver"])
        make_article(tags=["Liver"])
    assert [callback for callback in callbacks if isinstance(callback, _RefreshSeeAlso)] == []
    assert not RelatedArticle.objects.exists()


@pytest.mark.parametrize("path", ["signal", "direct"])
def test_retagging_updates_the_list(commit, path):
    with commit():
        article = make_article(tags=["Liver"])
        liver = make_article(title="Liver", tags=["Liver"])
        skin = make_article(title="Skin", tags=["Skin"])
    assert pks(see_also_for(article)) == pks([liver])
    if path == "signal":
        with commit():
            article.tags.set(["Skin"])
    else:
        with see_also_deferred():
            article.tags.set(["Skin"])
        refresh(article)
    assert pks(see_also_for(article)) == pks([skin])


def test_retagging_removes_the_article_from_former_neighbours_lists(commit):
    with commit():
        article = make_article(title="Re-tagged", tags=["Liver"])
        neighbour = make_article(tags=["Liver"])
    assert pks(see_also_for(neighbour)) == pks([article])
    with commit():
        article.tags.set(["Skin"])
    assert pks(see_also_for(neighbour)) == pks([])


@pytest.mark.parametrize("path", ["signal", "direct"])
def test_unpublishing_removes_the_article_and_lists_refill(commit, path):
    with commit():
        leaving = make_article(title="Leaving", tags=["Liver"], published_at=hours_ago(0.5))
        others = [make_article(tags=["Liver"], published_at=hours_ago(i + 1)) for i in range(11)]
    assert leaving.pk in pks(see_also_for(others[0]))
    leaving.status = Status.UNPUBLISHED
    if path == "signal":
        with commit():
            leaving.save()
    else:
        with see_also_deferred():
            leaving.save()
        refresh_see_also(leaving)
    assert not RelatedArticle.objects.filter(related=leaving).exists()
    assert not RelatedArticle.objects.filter(article=leaving).exists()
    for other in others:
        listed = pks(see_also_for(other))
        assert leaving.pk not in listed
        assert len(listed) == 5
    # The stored list refilled to its full length from the remaining candidates.
    assert RelatedArticle.objects.filter(article=others[0]).count() == 10


@pytest.mark.parametrize("path", ["signal", "direct"])
def test_publishing_offers_the_new_article_to_its_neighbours(commit, path):
    with commit():
        existing = make_article(tags=["Liver", "Azathioprine"])
        make_article(tags=["Liver"])
    with commit():
        newcomer = make_article(title="Newcomer", tags=["Azathioprine"], status=Status.DRAFT)
    assert newcomer.pk not in pks(see_also_for(existing))
    newcomer.status = Status.PUBLISHED
    if path == "signal":
        with commit():
            newcomer.save()
    else:
        with see_also_deferred():
            newcomer.save()
        refresh_see_also(newcomer)
    # ``existing`` was not recomputed itself: the newcomer offered itself.
    assert see_also_for(existing)[0].pk == newcomer.pk
    assert pks(see_also_for(newcomer)) == pks([existing])


def test_scheduled_article_joins_lists_when_its_time_comes(commit):
    with commit():
        existing = make_article(tags=["Liver"])
        scheduled = make_article(tags=["Liver"], published_at=timezone.now() + timedelta(hours=1))
    assert pks(see_also_for(existing)) == pks([])
    Article.objects.filter(pk=scheduled.pk).update(published_at=hours_ago(0.1))
    assert pks(see_also_for(existing)) == pks([scheduled])


def test_rebuild_all_recomputes_every_list():
    with see_also_deferred():
        a = make_article(tags=["Liver"])
        b = make_article(tags=["Liver"])
        make_article(tags=["Liver"], status=Status.DRAFT)
    RelatedArticle.objects.create(article=a, related=b, score=99)  # stale
    assert rebuild_all() == 2
    assert pks(see_also_for(a)) == pks([b])
    assert pks(see_also_for(b)) == pks([a])
    assert RelatedArticle.objects.get(article=a).score < 99


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_rebuild_all_leaves_the_planner_statistics_current():
    with see_also_deferred():
        for _ in range(3):
            make_article(tags=["Liver"])
    assert rebuild_all() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [RelatedArticle._meta.db_table])
        assert cursor.fetchone()[0] == RelatedArticle.objects.count() == 6


@pytest.mark.parametrize("postings_per_tag", [500, 3])
def test_bulk_rebuild_stores_the_same_lists_as_scoring_one_article_at_a_time(monkeypatch, postings_per_tag):
    """rebuild_all's in-memory pass must agree with score_candidates, capped postings included."""
    from taggit.models import Tag

    from articles import related
    from articles.models import TagAlias

    monkeypatch.setattr(related, "POSTINGS_PER_TAG", postings_per_tag)
    categories = [make_category(), make_category()]
    names = ["Common", "Liver", "Kidney", "Rare", "Imuran", "Azathioprine"]
    with see_also_deferred():
        articles = [
            make_article(
                tags=[names[j] for j in range(len(names)) if (i + 1) % (j + 1) == 0 or j == 0],
                category=categories[i % 2],
                published_at=hours_ago(i + 1),
            )
            for i in range(24)
        ]
        make_article(tags=["Common", "Rare"], status=Status.DRAFT)
    TagAlias.objects.create(tag=Tag.objects.get(name="Imuran"), main=Tag.objects.get(name="Azathioprine"))

    assert rebuild_all() == len(articles)
    for article in articles:
        stored = list(
            RelatedArticle.objects.filter(article=article)
            .order_by("-score", "related_id")
            .values_list("related_id", "score")
        )
        expected = [(c.pk, c.score) for c in related.score_candidates(article)[: related.STORED_PER_ARTICLE]]
        assert [pk for pk, _ in sorted(stored)] == [pk for pk, _ in sorted(expected)], article.title
        assert [score for _, score in sorted(stored)] == pytest.approx([score for _, score in sorted(expected)])
        assert stored, "every article shares the common tag"


def test_rebuild_see_also_command_rebuilds():
    with see_also_deferred():
        a = make_article(tags=["Liver"])
        b = make_article(tags=["Liver"])
    call_command("rebuild_see_also", verbosity=0)
    assert pks(see_also_for(a)) == pks([b])


def run_worker():
    call_command("db_worker", "--queue-name", "derived", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_queues_the_lists_and_the_worker_fills_them():
    category, author = make_category(), make_user()
    with transaction.atomic():
        article = make_article(category=category, author=author, tags=["Liver"])
        neighbour = make_article(category=category, author=author, tags=["Liver"])
        assert not RelatedArticle.objects.exists()
    assert not RelatedArticle.objects.exists(), "the commit only queues the work"
    run_worker()
    assert pks(see_also_for(article)) == pks([neighbour])
    with transaction.atomic():
        article.tags.set(["Skin"])
    assert pks(see_also_for(article)) == pks([neighbour])
    run_worker()
    assert pks(see_also_for(article)) == pks([])


def test_see_also_takes_one_query_with_the_categories_it_shows(commit, django_assert_num_queries):
    with commit():
        article = make_article(tags=["Liver"])
        for _ in range(8):
            make_article(tags=["Liver"])
    pin(article, make_article())
    with django_assert_num_queries(1):
        shown = [
            (a.title, a.get_absolute_url(), a.category.name, a.category.get_absolute_url())
            for a in see_also_for(article)
        ]
    listed = Article.objects.select_related("category").in_bulk([pk for pk in pks(see_also_for(article))])
    assert len(shown) == 5
    assert shown == [
        (a.title, a.get_absolute_url(), a.category.name, a.category.get_absolute_url())
        for a in (listed[pk] for pk in pks(see_also_for(article)))
    ]


def test_scheduled_article_and_one_published_meanwhile_find_each_other(commit):
    with commit():
        scheduled = make_article(title="Scheduled", tags=["Liver"], published_at=timezone.now() + timedelta(hours=1))
    with commit():
        meanwhile = make_article(title="Published meanwhile", tags=["Liver"])
    Article.objects.filter(pk=scheduled.pk).update(published_at=hours_ago(0.1))  # its time has come
    assert pks(see_also_for(meanwhile)) == pks([scheduled])
    assert pks(see_also_for(scheduled)) == pks([meanwhile])
