"""Work the task worker does for articles after a save commits: their "See also" lists.

An editor's save used to recompute "See also" inside the request (half a
second to more than a second at 100,000 articles, bench/publish.py). It now
queues ``refresh_see_also_task`` on commit (``articles.signals``); the worker
(``manage.py db_worker --queue-name derived``) runs it within about a second.
The task reads the article as it is when it runs, so a run queued for an
earlier save is still right, and saves in quick succession share one waiting run.
"""

from django_tasks import task

from articles.models import Article
from articles.related import refresh_see_also
from articles.signals import see_also_refreshed
from publishing.task_queue import DERIVED_QUEUE, retry_on_failure


@task(queue_name=DERIVED_QUEUE)
def refresh_see_also_task(article_id: int, attempt: int = 1) -> bool:
    """Recompute the article's list and its place in its neighbours' lists; False if it no longer exists."""
    with retry_on_failure(refresh_see_also_task, attempt=attempt, article_id=article_id):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            return False
        refresh_see_also(article)
    see_also_refreshed.send(sender=Article, article_id=article_id)
    return True
