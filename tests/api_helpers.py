"""Shared by the API tests: every JSON answer is checked against the OpenAPI schema the API publishes."""

import functools
import json
import re
from datetime import date, datetime

from jsonschema import Draft202012Validator, FormatChecker

from api.views import api

# OpenAPI's "date-time" is RFC 3339: a time with its offset. (jsonschema checks it only with an extra package.)
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(text) -> bool:
    return not isinstance(text, str) or datetime.fromisoformat(text).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _is_date(text) -> bool:
    return not isinstance(text, str) or bool(date.fromisoformat(text))


@functools.cache
def openapi_document() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


@functools.cache
def _path_patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path) for path in openapi_document()["paths"]]


def schema_for(path: str, status: int) -> dict:
    """The documented schema of a GET on ``path`` answering ``status``; fails when that answer is undocumented."""
    template = next((template for pattern, template in _path_patterns() if pattern.match(path)), None)
    assert template is not None, f"{path} is not in the OpenAPI schema"
    responses = openapi_document()["paths"][template]["get"]["responses"]
    assert str(status) in responses, f"{path} answered {status}, which its schema does not document"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": openapi_document()["components"]}


def assert_matches_schema(response, path: str) -> None:
    schema = schema_for(path, response.status_code)
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(json.loads(response.content)), key=str)
    assert not errors, f"{path}: the response does not match its schema: " + "; ".join(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors[:5]
    )


def get_json(client, url: str, *, status: int = 200, **headers):
    """GET ``url``, check its status and that its body matches the schema, and return the data."""
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    assert_matches_schema(response, url.split("?")[0])
    return json.loads(response.content)
