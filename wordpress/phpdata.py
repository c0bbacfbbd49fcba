"""Reading PHP's ``serialize()`` output (WordPress postmeta such as ``_wp_attachment_metadata``) safely.

Only plain data is read: null, booleans, integers, floats, strings and
arrays. An object (``O:``, ``C:``) or anything malformed gives ``None``: the
value is never run, and nothing in it can make this code do more than read.
String lengths are in bytes, as PHP counts them.
"""

import re

_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|-?INF|NAN")
MAX_DEPTH = 32


class _Bad(Exception):
    pass


def php_unserialize(text: str):
    """The value ``text`` holds as Python data (arrays as dicts), or None when it is not plain PHP data."""
    data = text.encode("utf-8")
    try:
        value, end = _value(data, 0, 0)
    except (_Bad, ValueError, IndexError, RecursionError):
        return None
    return value if end == len(data) else None


def _expect(data: bytes, at: int, token: bytes) -> int:
    if data[at : at + len(token)] != token:
        raise _Bad
    return at + len(token)


def _until(data: bytes, at: int, stop: bytes) -> tuple[bytes, int]:
    end = data.index(stop, at)
    return data[at:end], end + 1


def _value(data: bytes, at: int, depth: int):
    if depth > MAX_DEPTH:
        raise _Bad
    kind = data[at : at + 1]
    if kind == b"N":
        return None, _expect(data, at + 1, b";")
    at = _expect(data, at + 1, b":")
    if kind == b"b":
        raw, at = _until(data, at, b";")
        if raw not in (b"0", b"1"):
            raise _Bad
        return raw == b"1", at
    if kind == b"i":
        raw, at = _until(data, at, b";")
        return int(raw), at
    if kind == b"d":
        raw, at = _until(data, at, b";")
        if not _NUMBER.fullmatch(raw):
            raise _Bad
        return float(raw.replace(b"INF", b"inf")), at
    if kind == b"s":
        raw, at = _until(data, at, b":")
        length = int(raw)
        at = _expect(data, at, b'"')
        value = data[at : at + length]
        if len(value) != length:
            raise _Bad
        at = _expect(data, at + length, b'";')
        return value.decode("utf-8", errors="replace"), at
    if kind == b"a":
        raw, at = _until(data, at, b":")
        count = int(raw)
        at = _expect(data, at, b"{")
        result = {}
        for _ in range(count):
            key, at = _value(data, at, depth + 1)
            if not isinstance(key, int | str):
                raise _Bad
            result[key], at = _value(data, at, depth + 1)
        return result, _expect(data, at, b"}")
    raise _Bad  # objects (O:, C:), references (r:, R:) and anything else
