#!/usr/bin/env python3
"""One entry point for working on medsite, needing nothing but Python 3.

    python3 dev.py run     set up, migrate, load the demo, start the task workers, serve on 127.0.0.1:8000
    python3 dev.py test    set up if needed, then run the test suite (extra args go to pytest)

Setup means a virtual environment in .venv with requirements.txt installed;
it is redone only when requirements.txt changes.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def ensure_environment() -> None:
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("Installing requirements (first run only; a minute or two)")
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], check=True)
    STAMP.write_text(wanted)


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, ROOT / "manage.py", *args], check=True, env=env)


def run() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "medsite.settings.dev"}
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    say("Loading the demo content")
    manage("load_demo", env=env)
    # Two task workers run beside the web server, as in production: one for the daily link check ("default"
    # queue), one for what a save makes due ("derived": "See also" lists). Ctrl+C stops all three.
    manage("check_links", "--schedule", env=env)
    say("Starting the task workers (manage.py db_worker; --queue-name derived)")
    workers = [
        subprocess.Popen([PYTHON, ROOT / "manage.py", "db_worker"], env=env),
        subprocess.Popen([PYTHON, ROOT / "manage.py", "db_worker", "--queue-name", "derived"], env=env),
    ]
    say("Serving on http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/; Ctrl+C stops)")
    try:
        return subprocess.run([PYTHON, ROOT / "manage.py", "runserver", "127.0.0.1:8000"], env=env).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        for worker in workers:
            stop(worker)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test(extra: list[str]) -> int:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([PYTHON, "-m", "pytest", *parallel(extra), *extra], cwd=ROOT, env=env).returncode


def parallel(extra: list[str]) -> list[str]:
    """One pytest worker per CPU and one more (pytest-xdist), a test file to a worker, unless the caller chose
    otherwise. The extra worker keeps the CPUs busy while others wait on a browser, a live server or a subprocess.

    Each worker has its own test database (``test_gw0``...), browser and cache key prefix, so files never share state.
    """
    if any(arg.startswith(("-n", "--numprocesses", "--dist")) or arg == "no:xdist" for arg in extra):
        return []
    return [f"--numprocesses={(os.cpu_count() or 1) + 1}", "--dist=loadfile"]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    ensure_environment()
    return run() if argv[0] == "run" else test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
