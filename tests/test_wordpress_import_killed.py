"""A WordPress import killed part-way resumes: the second run finishes the job with no duplicates.

The import runs in its own process against a SQLite file and is killed with
SIGKILL once some batches of posts have committed. Whatever committed is
whole (each post with its mapping row and its old addresses), and running
the same command again ends with each WordPress post imported exactly once.
"""

import os
import subprocess
import sys
from pathlib import Path

from bench.wordpress import write_export
from tests.killing import count_rows, kill_once_committed

ROOT = Path(__file__).resolve().parent.parent
POSTS = 1500


def _env(folder: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "medsite.settings.test",
        "MEDIA_ROOT": str(folder / "media"),
        "IMAGE_ORIGINALS_ROOT": str(folder / "originals"),
    }


def _import(folder: Path, export: Path, **kwargs):
    command = [sys.executable, "manage.py", "import_wordpress", str(export), "--uploads", str(folder / "uploads")]
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [*command, "--batch-size", "50", "--skip-see-also"], cwd=ROOT, env=_env(folder), **kwargs
    )


def test_an_import_killed_part_way_resumes_without_duplicates(tmp_path):
    database = tmp_path / "site.sqlite3"
    export = write_export(tmp_path, POSTS, seed=3)
    migrate = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=_env(tmp_path), check=False
    )
    assert migrate.returncode == 0
    importer = _import(tmp_path, export, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kill_once_committed(importer, database, "SELECT COUNT(*) FROM articles_article", 200, timeout=300)
    articles = count_rows(database, "SELECT COUNT(*) FROM articles_article")
    mapped = count_rows(database, "SELECT COUNT(*) FROM wordpress_importeditem WHERE kind = 'post'")
    assert 200 <= articles < POSTS and articles == mapped, "whole batches: every article with its mapping row"

    finished = _import(tmp_path, export, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err.decode()
    # Every post the file holds that is imported (not trashed, not a page) once, and only once.
    expected = sum(1 for n in range(1, POSTS + 1) if n % 97 and n % 500)
    assert count_rows(database, "SELECT COUNT(*) FROM articles_article") == expected
    assert (
        count_rows(database, "SELECT COUNT(DISTINCT wp_id) FROM wordpress_importeditem WHERE kind = 'post'") == expected
    )
    assert count_rows(database, "SELECT COUNT(*) FROM images_image") == POSTS // 10
    assert b"posts" in out
