"""Bad and hostile input to the API: a 400 or 404 with a JSON body saying what was wrong, never a 5xx.

Every answer is checked against the OpenAPI schema, so an error the schema
does not document (ninja's 422, a bare 500) fails too.
"""

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_helpers import get_json
from tests.factories import make_article, make_published_drug

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/articles/", "/api/v1/tags/", "/api/v1/drugs/", "/api/v1/drug-classes/", "/api/v1/conditions/"]
PARAMETERS = {
    "/api/v1/articles/": ["cursor", "limit", "category", "tag", "drug", "updated_since"],
    "/api/v1/tags/": ["cursor", "limit"],
    "/api/v1/drugs/": ["cursor", "limit"],
    "/api/v1/drug-classes/": ["cursor", "limit"],
    "/api/v1/conditions/": ["cursor", "limit"],
    "/api/v1/search/": ["q", "kind", "category", "tag", "page"],
    "/api/v1/interactions/": ["drugs"],
}
HOSTILE_VALUES = [
    "",
    "x\x00y",
    "\ud800",
    "<script>x</script>",
    "'; DROP TABLE articles_article; --",
    "{{7*7}}{% debug %}",
    "9" * 40,
    "-1",
    "a" * 5000,
    "../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "ü漢💊",
]


@pytest.fixture
def site(db):
    drug = make_published_drug(generic_name="azathioprine")
    article = make_article(title="Azathioprine basics", tags=["Liver"], drugs=[drug])
    return article, drug


def encoded(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def assert_clean_answer(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code in {200, 400, 404}, (url[:200], response.status_code, response.content[:300])
    body = response.content.decode()
    assert "<script>" not in body and "<module '" not in body and "Set-Cookie" not in str(response.cookies)
    get_json(client, url, status=response.status_code)


@pytest.mark.parametrize("endpoint", PARAMETERS)
def test_hostile_values_in_every_parameter_answer_400_or_404(site, endpoint):
    client = Client(raise_request_exception=False)
    for name in PARAMETERS[endpoint]:
        for value in HOSTILE_VALUES:
            assert_clean_answer(client, f"{endpoint}?{name}={encoded(value)}")


@pytest.mark.parametrize("detail", ["/api/v1/articles/{}/", "/api/v1/drugs/{}/"])
def test_hostile_slugs_answer_404(site, detail):
    client = Client(raise_request_exception=False)
    for value in HOSTILE_VALUES[1:]:
        url = detail.format(encoded(value))
        response = client.get(url)
        assert response.status_code == 404, (url[:100], response.status_code)
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("endpoint", LISTS)
def test_unknown_and_repeated_parameters_answer_400(site, endpoint):
    client = Client()
    assert "colour" in get_json(client, f"{endpoint}?colour=red", status=400)["detail"]
    assert "once" in get_json(client, f"{endpoint}?limit=1&limit=2", status=400)["detail"]
    assert get_json(client, f"{endpoint}?utm_source=newsletter")  # tracking parameters are let through


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(list(PARAMETERS)),
    data=st.data(),
)
def test_any_query_string_answers_200_400_or_404(site, endpoint, data):
    names = st.one_of(st.sampled_from(PARAMETERS[endpoint]), st.text(max_size=10))
    values = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=60), st.integers().map(str))
    pairs = data.draw(st.lists(st.tuples(names, values), max_size=4))
    query = urlencode(
        [(name.encode("utf-8", "surrogatepass"), value.encode("utf-8", "surrogatepass")) for name, value in pairs]
    )
    assert_clean_answer(Client(raise_request_exception=False), f"{endpoint}?{query}")
