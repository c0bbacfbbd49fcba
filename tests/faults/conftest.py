"""The fault-injection suite's site: a private PostgreSQL cluster and Redis, gunicorn, and an editor process.

Runs only when asked for (``pytest tests/faults``, or ``RUN_FAULTS=1``): it
starts servers and takes about a minute. Under ``CI=true`` a missing
PostgreSQL or redis-server fails it; elsewhere it skips with the reason.
Each scenario adds a row to the table printed at the end of the run.
"""

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import PostgresCluster, RedisServer, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
FAULTS_DIR = Path(__file__).resolve().parent
RESULTS: list[tuple[str, str, str]] = []


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: the fault-injection suite (private PostgreSQL and Redis)")


def asked_for(config) -> bool:
    if os.environ.get("RUN_FAULTS") == "1":
        return True
    return any(Path(arg.split("::")[0]).resolve().is_relative_to(FAULTS_DIR) for arg in config.args)


@pytest.fixture(scope="session", autouse=True)
def _only_when_asked(request):
    if not asked_for(request.config):
        pytest.skip("the fault-injection suite runs with `pytest tests/faults` (it starts its own servers)")


def pytest_terminal_summary(terminalreporter):
    if not RESULTS:
        return
    width = max(len(scenario) for scenario, _, _ in RESULTS)
    terminalreporter.section("fault injection")
    terminalreporter.write_line(f"{'scenario':<{width}} | result")
    terminalreporter.write_line(f"{'-' * width}-|-{'-' * 60}")
    for scenario, verdict, detail in RESULTS:
        terminalreporter.write_line(f"{scenario:<{width}} | {verdict}: {detail}")


@pytest.fixture
def row(request):
    """The test's row of the table: it sets ``scenario`` first and ``detail`` once its checks passed."""
    row = {"scenario": request.node.name, "detail": ""}
    yield row
    failed = getattr(request.node, "failed_with", None)
    detail = f"{row['detail']} {failed}".strip() if failed else row["detail"]
    RESULTS.append((row["scenario"], "FAIL" if failed else "PASS", detail))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed_with = str(call.excinfo.value).splitlines()[0][:200] if call.excinfo else "failed"


class Site:
    """medsite under gunicorn (two workers) on PostgreSQL and Redis of its own, as in production."""

    def __init__(self, directory: Path):
        self.postgres = PostgresCluster()
        self.redis = RedisServer(directory / "redis")
        self.port = free_port()
        self.gunicorn: subprocess.Popen | None = None
        self.editor: subprocess.Popen | None = None

    def start(self) -> None:
        self.postgres.init()
        self.postgres.start()
        self.postgres.create_database("medsite_faults")
        self.redis.start()
        self.env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_"))}
        self.env.update(
            DJANGO_SETTINGS_MODULE="medsite.settings.prod",
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=self.postgres.url("medsite_faults"),
            REDIS_URL=self.redis.url,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            REQUIRE_TWO_FACTOR="0",
            PAGE_CACHE_SECONDS="600",
            LOG_LEVEL="ERROR",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="2",
            GUNICORN_LOG_LEVEL="error",
        )
        self.manage("migrate", "--verbosity", "0")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.gunicorn = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "medsite.wsgi"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        wait_until(lambda: self.get("/healthz")[0] == 200, 60, "gunicorn answering /healthz")
        self.editor = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.editor"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=300)

    def get(self, path: str, timeout: float = 15) -> tuple[int, dict, str]:
        """One GET on a new connection: status, headers, body (0 and the error when nothing answered)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        except OSError as error:
            return 0, {}, f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    def command(self, **command) -> dict:
        self.editor.stdin.write(json.dumps(command) + "\n")
        self.editor.stdin.flush()
        return json.loads(self.editor.stdout.readline())

    def stop(self) -> None:
        if self.editor is not None:
            self.editor.stdin.close()
            self.editor.wait(timeout=30)
        if self.gunicorn is not None:
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
            self.gunicorn.wait(timeout=30)
        self.redis.stop()
        self.postgres.remove()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    started = time.monotonic()
    site = Site(tmp_path_factory.mktemp("faults"))
    try:
        site.start()
        RESULTS.append(("set-up", "PASS", f"PostgreSQL, Redis, gunicorn x2 ready in {time.monotonic() - started:.1f}s"))
        yield site
    finally:
        site.stop()
