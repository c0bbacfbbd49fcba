"""Small pieces for the few statements written as plain SQL on the reader pages' hottest paths.

Composing and compiling a queryset costs a few hundred microseconds of CPU,
often more than the database's own time for a listing page's small queries;
``articles.cards`` and ``articles.counts`` write those few statements as text.
What they share lives here, beside the rule they must follow:
``published_where()`` is ``PublishableQuerySet.published()`` as SQL, and
tests compare every such statement with the queryset it stands for.
"""

import datetime
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from publishing.models import Status


def table(model) -> str:
    """The model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def marks(values) -> str:
    """``%s, %s, %s`` for an ``IN (...)`` list of ``values`` (never empty: ``IN ()`` is not SQL)."""
    if not values:
        raise ValueError("an IN list needs at least one value")
    return ", ".join(["%s"] * len(values))


def db_time(moment: datetime.datetime):
    """A datetime as a statement parameter, as the ORM would pass it (SQLite takes naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def aware(value) -> datetime.datetime:
    """A datetime read by plain SQL as the ORM would give it (SQLite hands back naive UTC, or text)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return timezone.make_aware(value, datetime.UTC) if timezone.is_naive(value) else value


def published_where(alias: str, now: datetime.datetime | None = None) -> tuple[str, list]:
    """``PublishableQuerySet.published()`` as a WHERE condition on the table named ``alias``, and its parameters."""
    moment = db_time(now or timezone.now())
    sql = (
        f"{alias}.status = {PUBLISHED} AND {alias}.published_at <= %s"
        f" AND ({alias}.expires_at IS NULL OR {alias}.expires_at > %s)"
    )
    return sql, [moment, moment]


# The status as a literal, not a parameter: PostgreSQL plans a prepared statement once for all parameters (a
# "generic plan") only when that plan looks no dearer than planning for each call's values, and a parameter's
# status could be any, so the plan looked dearer and the home page's statements were planned on every request.
PUBLISHED = f"'{Status.PUBLISHED.value}'"


def one_number(sql: str, params: list) -> int:
    """The single number a statement selects (0 when it selects no row or NULL)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (row[0] if row else 0) or 0


# Record-keeping times a page never shows for some models (a category's, say): left out of a statement
# with ``skip=BOOKKEEPING``, they are deferred on the instance (read on first use, as ``.only()`` leaves
# them). psycopg turns each time into a zone-aware datetime, which is most of reading a short row: the
# 25 categories of a listing page took 0.4-0.55 ms with them, 0.17-0.22 ms without.
BOOKKEEPING = ("created_at", "updated_at")


def columns(model, alias: str, *, skip: tuple[str, ...] = ()) -> str:
    """Every column of ``model``'s table but ``skip``'s as a select list on ``alias``, in the order ``instance()``
    reads them."""
    return _columns(model, alias, connection.vendor, skip)


@cache
def _columns(model, alias: str, vendor: str, skip: tuple[str, ...]) -> str:
    return ", ".join(f"{alias}.{connection.ops.quote_name(field.column)}" for field in _fields(model, skip))


def instance(model, values, *, skip: tuple[str, ...] = ()):
    """A ``model`` instance from the values of its ``columns()`` (with the same ``skip``), converted as the ORM
    converts them (SQLite's integers to booleans, its text to datetimes); skipped fields are deferred."""
    return instances(model, (values,), skip=skip)[0]


def instances(model, rows, *, skip: tuple[str, ...] = ()) -> list:
    """``instance()`` of each row, the database connection looked up once for them all (each lookup goes
    through a context-local: two a row were about half the cost of making a category)."""
    database = connections[DEFAULT_DB_ALIAS]
    converters, names, alias = _converters(model, database.vendor, skip), _attnames(model, skip), database.alias
    if not converters:
        return [model.from_db(alias, names, values) for values in rows]
    made = []
    for values in rows:
        values = list(values)
        for position, column, convert in converters:
            values[position] = convert(values[position], column, database)
        made.append(model.from_db(alias, names, values))
    return made


def field_count(model, *, skip: tuple[str, ...] = ()) -> int:
    """How many values ``columns(model, ..., skip=skip)`` selects."""
    return len(_fields(model, skip))


@cache
def _fields(model, skip: tuple[str, ...]) -> list:
    return [field for field in model._meta.concrete_fields if field.name not in skip]


@cache
def _attnames(model, skip: tuple[str, ...]) -> list[str]:
    return [field.attname for field in _fields(model, skip)]


@cache
def _converters(model, vendor: str, skip: tuple[str, ...]) -> list:
    """(position, column, converter) for each of ``model``'s fields the database's values need converting for."""
    found = []
    for position, field in enumerate(_fields(model, skip)):
        column = field.get_col(model._meta.db_table)
        found += [
            (position, column, convert)
            for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        ]
    return found
