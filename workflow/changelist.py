"""The admin list of publishable content, with year links that do not read every row.

Django's date hierarchy lists the years that have content with ``SELECT
DISTINCT DATE_TRUNC('year', ...)`` over the whole list: every article, on
each visit to the list (about 30 ms at 100,000 articles on PostgreSQL, more
when searching). Here, for a list of more than ``PROBE_FROM_ROWS`` rows,
the years between the first and the last date are probed in one query, one
subquery per year, each answered as soon as one row is found.
"""

import datetime
from functools import cache

from django.contrib.admin.views.main import ChangeList
from django.db import connections
from django.db.models import F, Max, Min, Subquery
from django.utils import timezone

# Fewer rows than this in the list (a search for a rare word, say): Django's DISTINCT over them is quicker
# than a probe per year, which may have to read a year's rows before it finds one.
PROBE_FROM_ROWS = 5_000
# More years than this between the first and the last date: Django's own query instead.
MAX_PROBED_YEARS = 200


class YearsByProbeMixin:
    """The two questions Django's date hierarchy asks a long list, answered from the date index."""

    def aggregate(self, *args, **kwargs):
        # The hierarchy first asks for the first and last date: Min/Max over a long filtered list reads it all,
        # while the first row in date order is found after a few rows.
        field_name = _first_and_last_of(kwargs) if not args else None
        if field_name is None:
            return super().aggregate(*args, **kwargs)
        return self._ends(field_name)

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind != "year" or tzinfo is not None:
            return super().datetimes(field_name, kind, order, tzinfo)
        years = years_with_rows(self, field_name, bounds=self._ends(field_name))
        if years is None:
            return super().datetimes(field_name, kind, order, tzinfo)
        return years if order == "ASC" else years[::-1]

    def _ends(self, field_name: str) -> dict:
        # The hierarchy asks for the ends, then for the years on the same queryset: one query for both.
        known = self.__dict__.setdefault("_known_ends", {})
        if field_name not in known:
            known[field_name] = first_and_last(self, field_name)
        return known[field_name]


def _first_and_last_of(aggregates: dict) -> str | None:
    """The field of ``aggregate(first=Min(field), last=Max(field))``, the date hierarchy's call; else None."""
    first, last = aggregates.get("first"), aggregates.get("last")
    if len(aggregates) != 2 or type(first) is not Min or type(last) is not Max:
        return None
    names = {
        expression.name
        for aggregate in (first, last)
        for expression in aggregate.get_source_expressions()
        if isinstance(expression, F)
    }
    if len(names) != 1 or first.filter is not None or last.filter is not None:
        return None
    return names.pop()


def first_and_last(queryset, field_name: str) -> dict:
    """``{"first": ..., "last": ...}``: the earliest and latest ``field_name`` of ``queryset``, in one query."""
    dated = queryset.filter(**{f"{field_name}__isnull": False}).values(field_name)
    ends = {
        "first": Subquery(dated.order_by(field_name)[:1]),
        "last": Subquery(dated.order_by(f"-{field_name}")[:1]),
    }
    found = queryset.model._base_manager.annotate(**ends).values(*ends).first()
    return found or {"first": None, "last": None}


def years_with_rows(queryset, field_name: str, *, bounds: dict | None = None) -> list[datetime.datetime] | None:
    """The first instant of each year (current time zone) in which ``queryset`` has a row, or None if too many.

    ``bounds``: the queryset's ``first_and_last``, when already known.
    """
    bounds = bounds or first_and_last(queryset, field_name)
    if bounds["first"] is None:
        return []
    zone = timezone.get_current_timezone()
    first, last = (timezone.localtime(bounds[end], zone).year for end in ("first", "last"))
    if last - first >= MAX_PROBED_YEARS:
        return None
    starts = {year: datetime.datetime(year, 1, 1, tzinfo=zone) for year in range(first, last + 2)}
    found = _probe_years(queryset, field_name, [(starts[year], starts[year + 1]) for year in range(first, last + 1)])
    return [starts[year] for year, row in zip(range(first, last + 1), found, strict=True) if row is not None]


def _probe_years(queryset, field_name: str, spans: list[tuple[datetime.datetime, datetime.datetime]]) -> tuple:
    """For each ``(start, end)``, the earliest ``field_name`` of ``queryset`` in it, or None: one statement.

    The list's query is compiled once and each span asks it for its first row in date order, rather than
    the ORM compiling it again as a subquery for each year (most of the year links' time). Each year's
    earliest row rather than EXISTS: PostgreSQL walks the date index from the year's start and stops at the
    first match, where for EXISTS it may scan the table from its first page.
    """
    dated = queryset.order_by().annotate(probed_date=F(field_name)).values("probed_date")
    sql, params = dated.query.sql_with_params()
    connection = connections[queryset.db]
    adapt = connection.ops.adapt_datetimefield_value
    probe = f"(SELECT d.probed_date FROM ({sql}) d WHERE d.probed_date >= %s AND d.probed_date < %s ORDER BY 1 LIMIT 1)"  # noqa: S608  # nosec B608  # Django's compiled SQL; every value is bound
    statement = "SELECT " + ", ".join([probe] * len(spans))
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for start, end in spans for value in (*params, adapt(start), adapt(end))])
        return cursor.fetchone()


@cache
def _probing_class(queryset_class: type) -> type:
    return type(f"YearsByProbe{queryset_class.__name__}", (YearsByProbeMixin, queryset_class), {})


class YearProbingChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if self.result_count > PROBE_FROM_ROWS:
            self.queryset.__class__ = _probing_class(type(self.queryset))  # what the date hierarchy reads
