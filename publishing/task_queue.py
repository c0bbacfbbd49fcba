"""Derived work that runs on the task worker after the commit that made it due.

An editor's save must return quickly, so work that reads many other rows
(an article's "See also" neighbours) is queued with Django's tasks API (the
django-tasks backport; the queue is django-tasks-db's table, run by
``manage.py db_worker --queue-name derived``) instead of running inside the
request.

- ``enqueue_now_once(task, **kwargs)``, called from an ``on_commit`` callback
  (so never for a rolled-back change), queues the task unless the same task
  for the same object is already waiting to start: tasks read the current
  state when they run, so one waiting run covers every save before it.
- ``retry_on_failure(task, attempt=..., **kwargs)`` wraps a task's body: when
  it raises, the next attempt is queued after a delay (``RETRY_DELAYS``), up to
  ``MAX_ATTEMPTS`` in all, and the exception propagates so the failed attempt
  is recorded with its traceback (admin: Task results, superusers only). The
  last failure is logged as an error.
"""

import datetime
import logging
from contextlib import contextmanager

from django.utils import timezone

logger = logging.getLogger(__name__)

DERIVED_QUEUE = "derived"
RETRY_DELAYS = (datetime.timedelta(seconds=10), datetime.timedelta(minutes=1), datetime.timedelta(minutes=10))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def _waiting(task, kwargs: dict) -> bool:
    """Is this task, for these arguments, queued and not started yet (database backend only)?"""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    # Only fresh runs (no ``run_after``): a retry waiting minutes must not hold back a new save's refresh.
    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY, run_after=get_date_max()
    )
    for key, value in kwargs.items():
        waiting = waiting.filter(**{f"args_kwargs__kwargs__{key}": value})
    return waiting.exists()


def enqueue_now_once(task, **kwargs) -> None:
    """Queue ``task(**kwargs)`` unless an identical run is waiting to start."""
    if not _waiting(task, kwargs):
        task.enqueue(**kwargs)


@contextmanager
def retry_on_failure(task, *, attempt: int, **kwargs):
    """Run the block; if it raises, queue attempt ``attempt + 1`` of ``task(**kwargs)`` later, then re-raise."""
    try:
        yield
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("%s%r failed %d times; giving up", task.name, kwargs, attempt)
        else:
            delay = RETRY_DELAYS[attempt - 1]
            logger.warning("%s%r failed (attempt %d); retrying in %s", task.name, kwargs, attempt, delay)
            if task.get_backend().supports_defer:
                task = task.using(run_after=timezone.now() + delay)
            task.enqueue(**kwargs, attempt=attempt + 1)
        raise
