"""Private Redis and PostgreSQL servers for fault tests: own port, own data directory, stopped afterwards.

Tests use these to stop, freeze and restart a real server; nothing here is a
stub. Under ``CI=true`` a missing binary fails the test; elsewhere it skips
with a one-line reason.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_binary(path: str | None, what: str) -> str:
    if path and Path(path).exists():
        return path
    reason = f"{what} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not happen within {timeout}s")


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class RedisServer:
    """A redis-server on a free port with its own data directory; data survives ``shutdown_saving``."""

    def __init__(self, directory: Path):
        self.binary = require_binary(shutil.which("redis-server"), "redis-server")
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # No automatic snapshots: only an explicit SHUTDOWN SAVE writes dump.rdb, which the next start reloads.
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
            + ["--save", "", "--appendonly", "no", "--protected-mode", "yes", "--logfile", "redis.log"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: self._ping(), 10, f"redis-server on port {self.port} answering")

    def _ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def shutdown_saving(self) -> None:
        """SHUTDOWN SAVE: Redis writes its data to disk and exits, as ``redis-cli shutdown`` does."""
        import redis

        with contextlib.suppress(redis.ConnectionError):  # the server closes the connection as it exits
            self.client().shutdown(save=True)
        self.process.wait(timeout=10)
        assert (self.directory / "dump.rdb").exists(), "SHUTDOWN SAVE wrote no dump.rdb"

    def kill(self) -> None:
        """SIGKILL: a crash; whatever was written since the last snapshot is lost."""
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)


class PostgresCluster:
    """A PostgreSQL cluster made with initdb in a temporary directory, on a free port, trusting local connections.

    PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system user (runuser), in a
    directory of its own under the system temporary folder (pytest's folders are closed to other users).
    """

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        pg_ctl = require_binary(found[-1] if found else shutil.which("pg_ctl"), "PostgreSQL (pg_ctl)")
        self.bin = Path(pg_ctl).parent
        require_binary(str(self.bin / "initdb"), "PostgreSQL (initdb)")
        self.directory = Path(tempfile.mkdtemp(prefix="medsite-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = require_binary(shutil.which("runuser"), "runuser (to run PostgreSQL as a non-root user)")
            self.as_user = [runuser, "-u", "postgres", "--"]

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if self.as_user:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        log = str(self.directory / "log")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", "start")
        wait_until(lambda: port_answers(self.port), 30, f"PostgreSQL on port {self.port} answering")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
