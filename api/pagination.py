"""Cursor (keyset) pagination for the API's lists.

A page is "the next ``limit`` rows after this one" in a fixed order that ends
with the primary key, so it is an index range scan whatever its depth (page
5,000 costs what page 1 costs), and a row inserted between two fetches can
neither repeat nor push another row out of sight: the cursor names the last
row seen, not a position.

The cursor is the last row's sort values, signed so a client cannot forge
one that reaches outside the published queryset or makes the database sort
differently; it is opaque to clients and only ever compared, never trusted.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q, QuerySet

from api.errors import ApiError

CURSOR_SALT = "api.cursor"
NOT_OURS = "cursor: not a cursor this list gave out; use the next_cursor value of a previous page."
MAX_CURSOR_LENGTH = 500


@dataclass(frozen=True)
class Order:
    """A keyset order: ``fields`` with the primary key last, all descending or all ascending."""

    fields: tuple[str, ...]
    descending: bool = False

    def order_by(self) -> list[str]:
        return [f"-{name}" if self.descending else name for name in self.fields]

    def after(self, values: list) -> Q:
        """Rows strictly after the row whose sort values are ``values``."""
        operator = "lt" if self.descending else "gt"
        condition = Q()
        for position, name in enumerate(self.fields):
            equal_before = {self.fields[i]: values[i] for i in range(position)}
            condition |= Q(**equal_before, **{f"{name}__{operator}": values[position]})
        # Implied by the above, but an index can start its scan here: without it PostgreSQL read
        # every row before the cursor and filtered them (50,001 rows for the middle of 100,000).
        return Q(**{f"{self.fields[0]}__{operator}e": values[0]}) & condition


NEWEST_FIRST = Order(("published_at", "id"), descending=True)
BY_NAME = Order(("name", "id"))
BY_GENERIC_NAME = Order(("generic_name", "id"))


def encode_cursor(order: Order, row) -> str:
    values = [getattr(row, name) for name in order.fields]
    values = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return signing.dumps(values, salt=f"{CURSOR_SALT}:{','.join(order.fields)}", compress=True)


def decode_cursor(order: Order, cursor: str) -> list:
    """The sort values a cursor carries; ``ApiError`` (400) for anything this API did not give out for ``order``."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise ApiError(400, "cursor: too long; use the next_cursor value of a previous page.")
    try:
        values = signing.loads(cursor, salt=f"{CURSOR_SALT}:{','.join(order.fields)}")
        if not isinstance(values, list) or len(values) != len(order.fields):
            raise ValueError("wrong shape")
        if order.fields[0] == "published_at":
            values[0] = datetime.fromisoformat(values[0])
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise ApiError(400, NOT_OURS) from None
    return values


def keyset_page(queryset: QuerySet, order: Order, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of ``queryset`` in ``order`` after ``cursor``, and the cursor of the next page (None at the end).

    One query (plus whatever the queryset prefetches): ``limit + 1`` rows are read to learn whether more follow.
    """
    if cursor:
        queryset = queryset.filter(order.after(decode_cursor(order, cursor)))
    rows = list(queryset.order_by(*order.order_by())[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(order, rows[-1])
