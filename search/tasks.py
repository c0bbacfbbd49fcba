"""Work the task worker does for search after a commit: re-indexing a tag group's articles when an alias changes.

An article's search keywords hold every name of its tags' groups ("Azathioprine Imuran"), so making "Imuran"
an alias of "Azathioprine", or no longer one, changes the row of every article carrying a name of that group:
47,000 articles for the largest tag at 100,000. Re-indexed on commit inside the publisher's request, one article
at a time, that took minutes; the worker (``manage.py db_worker --queue-name derived``) now does it in batches.
"""

from django_tasks import task

from articles.counts import article_items
from articles.models import TagAlias
from publishing.task_queue import DERIVED_QUEUE, retry_on_failure
from search.indexing import reindex_articles

BATCH = 1000


@task(queue_name=DERIVED_QUEUE)
def reindex_tag_group_task(tag_id: int, main_id: int, attempt: int = 1) -> int:
    """Re-index the articles carrying ``tag_id`` (an alias made or undone) or any name of ``main_id``'s group;
    returns how many."""
    with retry_on_failure(reindex_tag_group_task, attempt=attempt, tag_id=tag_id, main_id=main_id):
        names = {tag_id, main_id, *TagAlias.objects.filter(main_id=main_id).values_list("tag_id", flat=True)}
        carrying = article_items().filter(tag_id__in=names)
        article_ids = sorted(set(carrying.values_list("object_id", flat=True)))
        for start in range(0, len(article_ids), BATCH):
            reindex_articles(article_ids[start : start + BATCH])
    return len(article_ids)
