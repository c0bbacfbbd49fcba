"""The daily link check, run by the task worker (``manage.py db_worker``): no cron needed.

Each run checks every link, then enqueues the next run a day later (``run_after``). ``check_links --schedule``
(run by ``dev.py run`` and at deploy) starts the chain when no run is queued; a second call adds nothing.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from linkcheck.services import run_link_check

logger = logging.getLogger(__name__)
INTERVAL = datetime.timedelta(days=1)


@task()
def check_links_daily() -> dict[str, int]:
    try:
        counts = run_link_check()
        logger.info("Link check: %s", counts)
        return counts
    finally:
        # Even a failed run keeps the chain going: tomorrow's run is queued once today's work is committed.
        transaction.on_commit(lambda: schedule_next(after=timezone.now() + INTERVAL))


def queued_runs():
    """Runs waiting in the database backend's queue (django-tasks-db)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=check_links_daily.module_path, status=TaskResultStatus.READY)


def schedule_next(*, after: datetime.datetime | None = None):
    """Queue the next run (at ``after``, default now) unless one is already waiting."""
    with transaction.atomic():
        if queued_runs().select_for_update().exists():
            return None
        return check_links_daily.using(run_after=after).enqueue()
