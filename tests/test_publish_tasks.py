"""A publisher's save returns before "See also" is recomputed; the task worker brings it up to date.

The save queues ``articles.tasks.refresh_see_also_task`` on commit (the "derived" queue of the database task
backend). Stored counts, tag pages and the search index are still written by the save itself. These tests drive
the real admin view, run the on-commit callbacks, and then run what was queued as the worker does
(``run_tasks``, the worker's own ``run_task``; ``test_see_also.py`` runs the ``db_worker`` command itself).
"""

import datetime
import logging

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article, TagArticleCount
from articles.related import see_also_for
from articles.tasks import refresh_see_also_task
from publishing.models import Status
from publishing.task_queue import MAX_ATTEMPTS, RETRY_DELAYS
from search.services import search_site
from tests.admin_helpers import change_url, form_data
from tests.factories import make_article, make_reviewer, make_user, sign_off_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_client(client):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    client.force_login(user)
    return client


def queued():
    return DBTaskResult.objects.filter(task_path=refresh_see_also_task.module_path)


def waiting_for(article):
    return queued().filter(status=TaskResultStatus.READY, args_kwargs__kwargs__article_id=article.pk)


def publish_in_admin(client, article):
    data = form_data(client, change_url(article))
    data.update({"_workflow": Status.PUBLISHED, **sign_off_fields(make_reviewer())})
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_publishing_in_the_admin_queues_see_also_and_the_task_brings_it_up_to_date(publisher_client, commit, run_tasks):
    with commit():
        neighbour = make_article(title="Motrin (ibuprofen)", tags=["Azathioprine"])
        draft = make_article(title="Imuran (azathioprine)", tags=["Azathioprine"], status=Status.DRAFT)
    assert see_also_for(neighbour) == []

    with commit(run_tasks=False):  # django_capture_on_commit_callbacks(execute=True), and no worker yet
        publish_in_admin(publisher_client, draft)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    # Queued, not computed: the editor did not wait for it.
    assert waiting_for(draft).count() == 1
    assert see_also_for(neighbour) == [] and see_also_for(draft) == []
    # What the save itself keeps: the tag's stored count and the search index.
    assert TagArticleCount.objects.get(tag__name="Azathioprine").articles == 2
    assert draft.pk in [hit.object_id for hit in search_site(text="Imuran").hits]

    (result,) = run_tasks()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [link.pk for link in see_also_for(draft)] == [neighbour.pk]
    assert [link.pk for link in see_also_for(neighbour)] == [draft.pk]


def test_retagging_in_the_admin_updates_see_also_only_once_the_task_runs(publisher_client, commit, run_tasks):
    with commit():
        article = make_article(tags=["Liver"])
        liver = make_article(tags=["Liver"])
        skin = make_article(tags=["Skin"])
    assert [link.pk for link in see_also_for(article)] == [liver.pk]

    data = form_data(publisher_client, change_url(article))
    # Tags are editorial: a publisher puts the change live at once ("Publish changes").
    data.update({"tags": "Skin", "_workflow": "publish_changes"})
    with commit(run_tasks=False):
        assert publisher_client.post(change_url(article), data).status_code == 302
    assert [link.pk for link in see_also_for(article)] == [liver.pk]
    run_tasks()
    assert [link.pk for link in see_also_for(article)] == [skin.pk]
    assert see_also_for(liver) == []


def test_saves_in_quick_succession_share_one_waiting_run_which_reads_the_latest_state(commit, run_tasks):
    with commit():
        article = make_article(tags=["Liver"])
        liver = make_article(tags=["Liver"])
        skin = make_article(tags=["Skin"])
    for tags in (["Liver", "Skin"], ["Skin"]):
        with commit(run_tasks=False):  # two transactions, the worker busy elsewhere
            article.tags.set(tags)
    assert waiting_for(article).count() == 1
    run_tasks()
    assert [link.pk for link in see_also_for(article)] == [skin.pk]
    assert article.pk not in [link.pk for link in see_also_for(liver)]


def test_a_save_while_the_task_runs_queues_another(commit):
    with commit():
        article = make_article(tags=["Liver"])
    with commit(run_tasks=False):
        article.save()
    waiting_for(article).update(status=TaskResultStatus.RUNNING)  # the worker has claimed it, read the old state
    with commit(run_tasks=False):
        article.save()
    assert waiting_for(article).count() == 1


def test_a_failing_task_is_retried_later_and_every_attempt_is_recorded(monkeypatch, commit, run_tasks):
    from articles import tasks
    from articles.models import RelatedArticle

    with commit():
        article = make_article(tags=["Liver"])
        neighbour = make_article(tags=["Liver"])
    RelatedArticle.objects.all().delete()
    calls = []

    def flaky(article):
        calls.append(article.pk)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        real(article)

    real = tasks.refresh_see_also
    monkeypatch.setattr(tasks, "refresh_see_also", flaky)
    with commit(run_tasks=False):
        article.save()

    (first,) = run_tasks()
    assert first.status == TaskResultStatus.FAILED
    assert "database went away" in first.traceback
    (retry,) = queued().filter(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"article_id": article.pk, "attempt": 2}
    expected = timezone.now() + RETRY_DELAYS[0]
    assert abs((retry.run_after - expected).total_seconds()) < 5
    assert run_tasks() == [], "the retry waits for its time"
    assert see_also_for(article) == []

    queued().filter(pk=retry.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    (second,) = run_tasks()
    assert second.status == TaskResultStatus.SUCCESSFUL
    assert [link.pk for link in see_also_for(article)] == [neighbour.pk]


def test_the_last_attempt_gives_up_and_says_so(monkeypatch, commit, run_tasks, caplog):
    from articles import tasks

    def broken(article):
        raise RuntimeError("still broken")

    with commit():
        article = make_article()
    monkeypatch.setattr(tasks, "refresh_see_also", broken)
    refresh_see_also_task.enqueue(article_id=article.pk, attempt=MAX_ATTEMPTS)
    with caplog.at_level(logging.ERROR, logger="publishing.task_queue"):
        (result,) = run_tasks()
    assert result.status == TaskResultStatus.FAILED
    assert not queued().filter(status=TaskResultStatus.READY).exists()
    assert f"failed {MAX_ATTEMPTS} times; giving up" in caplog.text


def test_failed_tasks_are_listed_for_superusers_with_their_traceback(client, monkeypatch, commit, run_tasks):
    from articles import tasks

    def broken(article):
        raise RuntimeError("stored scores could not be written")

    with commit():
        article = make_article()
    monkeypatch.setattr(tasks, "refresh_see_also", broken)
    refresh_see_also_task.enqueue(article_id=article.pk)
    (failed,) = run_tasks()

    client.force_login(make_user(is_staff=True, is_superuser=True))
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200
    assert "refresh_see_also_task" in listing.content.decode()
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.pk}/change/")
    assert "stored scores could not be written" in detail.content.decode()


def test_a_deleted_article_leaves_nothing_to_do(commit, run_tasks):
    with commit():
        article = make_article()
    pk = article.pk
    Article.objects.filter(pk=pk).delete()
    refresh_see_also_task.enqueue(article_id=pk)
    (result,) = run_tasks()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value is False
