"""Trigram indexes for the admin's article search, on PostgreSQL only.

The admin searches title, summary and slug with ``icontains``, which Django
writes as ``UPPER(column::text) LIKE UPPER('%word%')``: without an index that
reads every article (about 300 ms at 100,000). A GIN index of each column's
trigrams, over the same ``UPPER(...)`` expression, lets PostgreSQL find the
rows holding a word from the index. pg_trgm ships with PostgreSQL and is a
trusted extension (since PostgreSQL 13), so the database owner may create it.
SQLite has no such index and keeps its scan; the indexes stay outside Django's
model state because only one backend has them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

COLUMNS = ("title", "summary", "slug")


def _index_name(column: str) -> str:
    return f"article_admin_search_{column}"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {_index_name(column)} ON articles_article '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    # Statistics of the indexed expressions: without them the planner takes any word to be rare and reads the
    # matches of a common one through the index instead of walking the list's order and stopping at a page.
    schema_editor.execute("ANALYZE articles_article")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_admin_list_index")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
