"""Each API endpoint costs a fixed number of queries, whatever the page size or the number of related rows.

Each endpoint is loaded with N and with 3N of everything it lists (items on
the page, and tags, drugs, references, side effects... per item): the count
must stay under the endpoint's budget and be the same at both sizes.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from articles.models import TagAlias
from search.indexing import reindex_all
from tests.factories import (
    make_article,
    make_article_batch,
    make_category,
    make_condition,
    make_drug_class,
    make_drug_name,
    make_drug_reference,
    make_drug_use,
    make_image,
    make_interaction,
    make_precaution,
    make_published_drug,
    make_reference,
    make_side_effect,
    make_user,
)

pytestmark = pytest.mark.django_db

N = 4
BUDGETS = {
    "articles": 2,  # the page, its tags
    "articles filtered": 7,  # + categories, tag, its aliases, "has public articles", drug
    # the article with its reviewer, tags, drugs, references, categories, its body's images, their renditions
    "article": 7,
    "categories": 1,
    "tags": 3,  # the page, aliases of it, main tags of it
    "drugs": 1,
    "drug": 8,  # the drug, names, classes, uses, side effects, precautions, references, interactions
    "drug classes": 2,
    "conditions": 2,
    "interactions": 4,  # drugs by slug (+ other names when one is a brand), their classes, interactions
    "search": 5,
}


def build(size: int) -> dict[str, str]:
    """A site with ``size`` of everything, and the address of each endpoint listing them all."""
    top = make_category(name=f"Top {size}")
    for i in range(size):
        make_category(name=f"Sub {size} {i}", parent=top)
    drugs = [make_published_drug(generic_name=f"drug{size}x{i}") for i in range(size)]
    drug = drugs[0]
    for i in range(size):
        make_drug_name(drug, name=f"Brand{size}x{i}")
        make_side_effect(drug)
        make_precaution(drug)
        make_drug_use(drug)
        make_drug_reference(drug)
        make_interaction(drug, drug_b=drugs[i]) if i else make_interaction(drug, substance="alcohol")
        group = make_drug_class(name=f"Class {size} {i}")
        group.drugs.set(drugs)
        for other in drugs:
            make_drug_use(other, condition=make_condition(name=f"Condition {size} {i} {other.pk}"))
    tag_names = [f"Tag {size} {i}" for i in range(size)]
    articles = make_article_batch(
        3 * size + 1, category=top, author=make_user(), tags_for=lambda i: tag_names, drugs=drugs
    )
    from taggit.models import Tag

    alias = Tag.objects.create(name=f"Alias {size}", slug=f"alias-{size}")
    TagAlias.objects.create(tag=alias, main=Tag.objects.get(name=tag_names[0]))
    body = "".join(f'<p>Figure {i}</p><img data-image="{make_image().pk}" alt="">' for i in range(size))
    article = make_article(tags=tag_names, drugs=drugs, category=top, body=body)
    for _ in range(size):
        make_reference(article)
    reindex_all()
    drug_names = ",".join(d.generic_name for d in drugs[: min(size, 10)])
    return {
        "articles": f"/api/v1/articles/?limit={size}",
        "articles filtered": f"/api/v1/articles/?limit={size}&category={top.slug}&tag=alias-{size}"
        f"&drug={drug.slug}&updated_since=2000-01-01T00:00:00Z&cursor=",
        "article": f"/api/v1/articles/{article.slug}/",
        "categories": "/api/v1/categories/",
        "tags": f"/api/v1/tags/?limit={size}",
        "drugs": f"/api/v1/drugs/?limit={size}",
        "drug": f"/api/v1/drugs/{drug.slug}/",
        "drug classes": f"/api/v1/drug-classes/?limit={size}",
        "conditions": f"/api/v1/conditions/?limit={size}",
        "interactions": f"/api/v1/interactions/?drugs={drug_names}",
        "search": f"/api/v1/search/?q=batch&tag={slugify(tag_names[0])}",
    } | {"_articles": str(len(articles))}


def count_queries(client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (content types, drug names)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


def test_every_endpoint_has_a_budget():
    assert set(BUDGETS) == set(build(1)) - {"_articles"}


@pytest.mark.parametrize("endpoint", BUDGETS)
def test_queries_stay_within_budget_at_n_and_3n(client, django_assert_max_num_queries, endpoint):
    small, large = build(N)[endpoint], build(3 * N)[endpoint]
    counts = {}
    for size, url in (("N", small), ("3N", large)):
        counts[size] = count_queries(client, url)
        with django_assert_max_num_queries(BUDGETS[endpoint]):
            client.get(url)
    print(f"\n{endpoint}: {counts['N']} queries at N, {counts['3N']} at 3N")
    assert counts["N"] == counts["3N"]
