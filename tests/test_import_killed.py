"""An import killed with SIGKILL part-way leaves every committed article findable and listed.

The import runs in its own process against a SQLite file; once some batches
have committed it is killed without warning (no ``finally``, no end-of-run
work). Whatever it committed must already carry its search rows, its tag
page rows and right stored counts: a batch's derived data commits with it.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.killing import count_rows, kill_once_committed

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["Methotrexate", "Azathioprine", "Liver", "Kidney", "Vaccines"]


def _env(database: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "medsite.settings.test"}


def _write_corpus(path: Path, count: int) -> None:
    with path.open("w") as out:
        for n in range(count):
            record = {
                "title": f"Article {n}",
                "slug": f"article-{n}",
                "category": ["Pain Relief", "Transplant Medicine"][n % 2],
                "tags": [TAGS[n % 5], TAGS[(n + 2) % 5]],
                "summary": "A short summary.",
                "body": f"<p>Body of article {n} about {TAGS[n % 5].lower()}.</p>" + "<p>More text.</p>" * 40,
                "author": "Alex Morgan",
                "published_at": "2024-03-01T09:00:00+00:00",
                "drugs": [],
                "status": "draft" if n % 7 == 0 else "published",
            }
            out.write(json.dumps(record) + "\n")


def _manage(*args, database: Path, **kwargs):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(database), **kwargs)


def test_an_import_killed_part_way_leaves_every_committed_article_findable_and_listed(tmp_path):
    database, corpus = tmp_path / "site.sqlite3", tmp_path / "corpus.jsonl"
    assert _manage("migrate", "--noinput", "-v0", database=database).wait(timeout=300) == 0
    _write_corpus(corpus, 20_000)
    importer = _manage(
        "import_articles", str(corpus), "--batch-size", "100", "--skip-see-also",
        database=database, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    kill_once_committed(importer, database, "SELECT COUNT(*) FROM articles_article", 1000, timeout=240)

    articles = count_rows(database, "SELECT COUNT(*) FROM articles_article")
    published = count_rows(database, "SELECT COUNT(*) FROM articles_article WHERE status = 'published'")
    assert 1000 <= articles < 20_000, "killed part-way"
    assert articles % 100 == 0, "whole batches only"
    # Findable: one search row per published article, none for drafts.
    assert count_rows(database, "SELECT COUNT(*) FROM search_searchentry WHERE kind = 'article'") == published
    # Listed: every tag of every published article has its tag-page row ...
    tagged = count_rows(
        database,
        "SELECT COUNT(*) FROM taggit_taggeditem i JOIN articles_article a ON a.id = i.object_id "
        "WHERE a.status = 'published'",
    )
    assert count_rows(database, "SELECT COUNT(*) FROM articles_tagpublication") == tagged
    # ... and the stored counts the tag and category pages read are right.
    with sqlite3.connect(database) as db:
        wrong_tags = db.execute(
            "SELECT t.name FROM taggit_tag t LEFT JOIN articles_tagarticlecount c ON c.tag_id = t.id "
            "WHERE COALESCE(c.articles, 0) != (SELECT COUNT(*) FROM taggit_taggeditem i JOIN articles_article a "
            "ON a.id = i.object_id WHERE i.tag_id = t.id AND a.status = 'published')"
        ).fetchall()
        wrong_categories = db.execute(
            "SELECT g.name FROM articles_category g LEFT JOIN articles_categoryarticlecount c ON c.category_id = g.id "
            "WHERE COALESCE(c.articles, 0) != (SELECT COUNT(*) FROM articles_article a WHERE a.category_id = g.id "
            "AND a.status = 'published')"
        ).fetchall()
    assert wrong_tags == [] and wrong_categories == []
