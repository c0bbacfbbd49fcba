"""The full-text part of the search index, for whichever database runs the site.

PostgreSQL: two stored generated tsvector columns (computed by the database
on every write, never per query) with GIN indexes. SQLite: an FTS5 table over
the same columns, kept in step by triggers. The columns stay outside Django's
model state because only one backend has each of them; a later migration that
makes SQLite rebuild search_searchentry must recreate the triggers.
"""

from django.db import migrations

POSTGRES_WEIGHTED = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'C')"
)
POSTGRES_FORWARD = [
    f"ALTER TABLE search_searchentry ADD COLUMN head_vector tsvector GENERATED ALWAYS AS ({POSTGRES_WEIGHTED}) STORED",
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"{POSTGRES_WEIGHTED} || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D')) STORED",
    "CREATE INDEX search_entry_head_vector ON search_searchentry USING gin (head_vector)",
    "CREATE INDEX search_entry_search_vector ON search_searchentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_search_vector",
    "DROP INDEX IF EXISTS search_entry_head_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS head_vector",
]

FTS_COLUMNS = "title, summary, keywords, body"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE search_entry_fts USING fts5({FTS_COLUMNS}, content='search_searchentry', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(rowid, {FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.summary, new.keywords, new.body); END",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.summary, old.keywords, old.body); END",
    "CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.summary, old.keywords, old.body); "
    f"INSERT INTO search_entry_fts(rowid, {FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.summary, new.keywords, new.body); END",
    # Index whatever rows exist already.
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]

STATEMENTS = {
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, backward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"Site search supports PostgreSQL and SQLite, not {vendor}.")
    for statement in STATEMENTS[vendor][backward]:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, backward=False)


def backward(apps, schema_editor):
    _run(schema_editor, backward=True)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
