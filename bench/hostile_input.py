#!/usr/bin/env python3
"""The slowest answers of the hostile-input walk (tests/test_hostile_input.py), measured, not asserted.

    .venv/bin/python bench/hostile_input.py                  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medsite_bench .venv/bin/python bench/hostile_input.py

The tests send about 4,700 hostile requests to every address of the site and
the admin and assert only what must always hold (no 5xx, nothing reflected).
Each walk prints its slowest request on a line marked ``SLOWEST``;
this runs those tests and reports those lines, so a slow page shows up here
without a timing assertion making the test suite fail on a loaded machine.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SELECTED = "hostile_input_to or thousands_of_words"


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/test_hostile_input.py",
        "-k",
        SELECTED,
        "-s",
        "-q",
        "-p",
        "no:cacheprovider",
        "--create-db",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    # pytest's progress dots may share a line with the test's output.
    slowest = [line.partition("SLOWEST ")[2] for line in result.stdout.splitlines() if "SLOWEST " in line]
    for line in slowest:
        print(line)
    if result.returncode != 0 or not slowest:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n", file=sys.stderr)
        return result.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
