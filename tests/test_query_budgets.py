"""Every public page runs a fixed number of SQL queries, however much content there is.

Each page is measured on a site of N articles and again at 3N (more
articles, tags, categories, references, pinned and automatic "See also"
links), against the same budget. A page that ran a query per article, tag or
related item would exceed its budget on the larger site, if not the smaller.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Reference, RelatedArticle
from changelog.models import ChangeNote
from publishing.models import Status
from tests.factories import make_article_batch, make_category, make_drug, make_user, pin

pytestmark = pytest.mark.django_db

# Anonymous reader, one GET. Quote these numbers; change them only with a reason.
PAGE_QUERY_BUDGETS = {
    "home": 4,  # featured categories, count, page of articles, their tags
    "article": 8,  # article+category+parent+author+reviewer, grandparent, tags, references, drugs, change notes,
    # pinned, automatic
    "category-index": 1,  # every category
    "category": 4,  # every category (the page's, its parents and subcategories), count, page of articles, their tags
    "tag-index": 1,  # tag counts (the content type id is cached after the first request)
    "tag": 4,  # tag, count, page of articles, their tags
    "corrections": 4,  # count, page of corrections (published pages as subqueries), their articles, their drugs
}

N = 40
TAGS_PER_ARTICLE = 8


class Site:
    """A site that grows in steps, each step adding N articles and their links."""

    def __init__(self):
        self.author = make_user()
        grandparent = make_category(name="Medicines", featured=True)
        parent = make_category(name="Pain Relief", slug="pain-relief", parent=grandparent, featured=True)
        self.category = make_category(name="Nerve Pain", slug="nerve-pain", parent=parent)
        self.parent = parent
        self.drug = make_drug(generic_name="azathioprine", status=Status.PUBLISHED)
        self.steps = 0
        self.subject = None

    def grow(self):
        """Add N articles, each with 8 tags (some shared, some its own), new categories and links."""
        step = self.steps
        self.steps += 1
        for i in range(5):
            make_category(name=f"Extra {step}-{i}", parent=self.parent if i % 2 else None, featured=True)
        sub = make_category(name=f"Sub {step}", parent=self.category)
        articles = []
        for category in (self.category, sub):
            articles += make_article_batch(
                N // 2,
                category=category,
                author=self.author,
                tags_for=lambda i, step=step, category=category: (
                    ["Azathioprine", "Liver", f"Group {i % 4}"]
                    + [f"Own {step}-{category.pk}-{i}-{k}" for k in range(TAGS_PER_ARTICLE - 3)]
                ),
                drugs=[self.drug],
            )
        if self.subject is None:
            self.subject = articles[0]
        subject = self.subject
        Article.objects.filter(pk=subject.pk).update(reviewed_by=make_user(), last_reviewed=timezone.localdate())
        subject.drugs.add(make_drug(status=Status.PUBLISHED))
        for k in range(3):
            Reference.objects.create(article=subject, title=f"Reference {step}-{k}", url="https://example.org/")
        # Change notes, a correction among them, on the subject, the drug and other articles (the Corrections page).
        for k, page in enumerate([subject, subject, self.drug, *articles[13:23]]):
            ChangeNote.objects.create(page=page, summary=f"Change {step}-{k}", is_correction=k % 2 == 0)
        pin(subject, *articles[1 + step * 2 : 3 + step * 2])
        RelatedArticle.objects.filter(article=subject).delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article=subject, related=other, score=1.0 + j) for j, other in enumerate(articles[3:13])
        )
        return self


@pytest.fixture
def site():
    return Site()


def page_urls(site):
    return {
        "home": "/",
        "article": site.subject.get_absolute_url(),
        "category-index": "/category/",
        "category": "/category/pain-relief/",
        "tag-index": "/tag/",
        "tag": "/tag/liver/",
        "corrections": "/corrections/",
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", PAGE_QUERY_BUDGETS)
def test_public_page_stays_within_its_query_budget(client, site, page, django_assert_max_num_queries):
    budget = PAGE_QUERY_BUDGETS[page]
    site.grow()
    url = page_urls(site)[page]
    client.get(url)  # warm per-process caches (content types) as a running site has them
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    site.grow().grow()
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert Article.objects.published().count() == 3 * N


def test_budgets_are_tight(client, site):
    """A budget with slack would hide a new query; keep each one at what the page needs."""
    site.grow()
    urls = page_urls(site)
    for page, url in urls.items():
        client.get(url)
        assert count_queries(client, url) == PAGE_QUERY_BUDGETS[page], page


def test_pages_show_the_content_being_measured(client, site):
    site.grow()
    urls = page_urls(site)
    assert len(client.get(urls["home"]).context["articles"]) == 10
    assert len(client.get(urls["category"]).context["articles"]) == 20
    assert len(client.get(urls["tag"]).context["articles"]) == 20
    article_page = client.get(urls["article"])
    assert len(article_page.context["see_also"]) == 5
    html = article_page.content.decode()
    assert len(re.findall(r'href="/tag/[^"]+/"', html)) == TAGS_PER_ARTICLE
    assert "Reference 0-2" in html
    assert "Medically reviewed by" in html
    assert html.count('<li id="change-') == 2
    assert len(client.get(urls["corrections"]).context["corrections"]) == 7
    assert len(client.get(urls["tag-index"]).context["tags"]) == 2 + 4 + N * (TAGS_PER_ARTICLE - 3)


# The drug pages are being rebuilt: their budgets are not fixed here, only that
# they do not grow between N and 3N articles linked to the drug.


@pytest.mark.parametrize("url", ["/drugs/", "/drugs/azathioprine/"], ids=["drug-index", "drug"])
def test_drug_page_query_count_does_not_grow(client, site, url, django_assert_max_num_queries):
    site.grow()
    for k in range(5):
        make_drug(generic_name=f"drug{site.steps}x{k}", status=Status.PUBLISHED)
    client.get(url)
    at_n = count_queries(client, url)
    site.grow().grow()
    for k in range(10):
        make_drug(generic_name=f"drug{site.steps}y{k}", status=Status.PUBLISHED)
    assert site.drug.articles.published().count() == 3 * N
    with django_assert_max_num_queries(at_n):
        assert client.get(url).status_code == 200
