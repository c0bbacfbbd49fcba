"""Killing a command part-way, as a crash or an operator's ``kill -9`` would, for the resume tests."""

import signal
import sqlite3
import subprocess
import time
from pathlib import Path


def count_rows(database: Path, sql: str) -> int:
    """The one number ``sql`` (a ``SELECT COUNT(*)``) reads from the SQLite file ``database``."""
    with sqlite3.connect(database, timeout=20) as db:
        return db.execute(sql).fetchone()[0]


def kill_once_committed(process: subprocess.Popen, database: Path, sql: str, at_least: int, timeout: float) -> None:
    """SIGKILL ``process`` as soon as ``sql`` counts ``at_least`` committed rows; fail if it ends or stalls first."""
    try:
        deadline = time.monotonic() + timeout
        while count_rows(database, sql) < at_least:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "it ended"
            assert time.monotonic() < deadline, "the command wrote too slowly to be killed part-way"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
