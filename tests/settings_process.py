"""Reading the production settings in a fresh interpreter, since settings are read once per process."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='medsite.settings.prod'; django.setup()"
# Reading values needs only the settings module, not the app registry: faster.
READ = "import json, medsite.settings.prod as settings; print(json.dumps({}))"
GOOD_KEY = "k" * 20 + "-0123456789-abcdefghijklmnopqrstuvwxyz"


def run_settings(env: dict[str, str], *, show: str = "") -> subprocess.CompletedProcess:
    """Start Django on the prod settings with only ``env`` set, or print ``show`` (a settings expression) as JSON."""
    code = READ.format(show) if show else SETUP
    clean_env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(PROJECT_DIR), **env}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=clean_env, capture_output=True, text=True, timeout=60
    )


def shown(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
