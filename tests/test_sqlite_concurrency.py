"""Several processes writing one SQLite file at once never hit "database is locked".

The settings (medsite/settings/base.py) open SQLite in WAL mode with a busy
timeout and IMMEDIATE transactions, so a writer waits for the lock instead
of failing. This test runs real processes (as gunicorn workers would be),
each starting transactions that read and then write, the pattern that fails
at once under SQLite's default deferred transactions, while another process
holds long write transactions like a bulk import.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import json, multiprocessing, sys, time
import django
django.setup()
from django.db import connection, connections, transaction
from articles.models import Category

def editor(worker, saves, queue):
    errors = []
    for n in range(saves):
        try:
            with transaction.atomic():
                count = Category.objects.count()  # read first, then write
                Category.objects.create(name=f"w{worker}-{n}", slug=f"w{worker}-{n}", position=count % 100)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
    connections.close_all()
    queue.put(errors)

def importer(batches, queue):
    errors = []
    for b in range(batches):
        try:
            with transaction.atomic():
                Category.objects.bulk_create(Category(name=f"i{b}-{k}", slug=f"i{b}-{k}") for k in range(200))
                time.sleep(0.05)  # a long write transaction, as a batch of a bulk import
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
    connections.close_all()
    queue.put(errors)

with connection.schema_editor() as editor_:
    editor_.create_model(Category)
journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
connections.close_all()
multiprocessing.set_start_method("fork")
queue = multiprocessing.Queue()
workers = [multiprocessing.Process(target=editor, args=(w, 40, queue)) for w in range(4)]
workers.append(multiprocessing.Process(target=importer, args=(5, queue)))
for process in workers:
    process.start()
errors = [error for _ in workers for error in queue.get(timeout=120)]
for process in workers:
    process.join()
print(json.dumps({"journal": journal, "errors": errors, "rows": Category.objects.count()}))
"""


def test_concurrent_writers_wait_for_the_lock_instead_of_failing(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medsite.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrency.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["journal"] == "wal"
    assert outcome["errors"] == []
    assert outcome["rows"] == 4 * 40 + 5 * 200
