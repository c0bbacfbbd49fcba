"""Parts of the environment some tests need: a newcomer's machine may lack them, CI may not.

Under ``CI=true`` a missing part fails the test that needs it, so a run
without Redis, Chromium or Java cannot pass by skipping; elsewhere the test
is skipped with a one-line reason.
"""

import os

import pytest

ON_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> None:
    if ON_CI:
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)
