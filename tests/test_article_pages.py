import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime

from publishing.models import Status
from tests.factories import make_article, make_category, make_drug, make_reference, make_user, pin

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def titles(response, key="articles") -> list[str]:
    return [article.title for article in response.context[key]]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


# Home


def test_home_lists_latest_published_first(client):
    old = make_article(title="Old news", published_at=hours_ago(30))
    new = make_article(title="New news", published_at=hours_ago(1))
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert titles(response) == [new.title, old.title]
    assert html_of(response).index("New news") < html_of(response).index("Old news")


def test_home_is_paginated_ten_a_page(client):
    category, author = make_category(), make_user()
    articles = [make_article(category=category, author=author, published_at=hours_ago(i + 1)) for i in range(12)]
    first = client.get("/")
    second = client.get("/?page=2")
    assert titles(first) == [a.title for a in articles[:10]]
    assert titles(second) == [a.title for a in articles[10:]]
    assert 'href="?page=2"' in html_of(first)


def test_home_shows_featured_categories(client):
    make_category(name="Pain Relief", featured=True, position=2)
    make_category(name="Allergy", featured=True, position=1)
    make_category(name="Hidden Corner", featured=False)
    response = client.get("/")
    html = html_of(response)
    assert "Pain Relief" in html
    assert "Hidden Corner" not in html
    assert [category.name for category in response.context["featured_categories"]] == ["Allergy", "Pain Relief"]
    assert response.context["featured_categories"][0].featured is True  # a boolean on SQLite too


# Article page


@pytest.fixture
def imuran():
    parent = make_category(name="Medicines")
    category = make_category(name="Pain Relief", slug="pain-relief", parent=parent)
    author = make_user(first_name="Ada", last_name="Lovelace")
    article = make_article(
        title="Imuran (azathioprine)",
        slug="imuran-azathioprine",
        summary="How azathioprine calms the immune system.",
        body="<h2>Uses</h2><p>Azathioprine treats <strong>rheumatoid arthritis</strong>.</p>",
        category=category,
        author=author,
        published_at=timezone.now() - timedelta(days=3),
        reviewed_by=make_user(first_name="Grace", last_name="Hopper"),
        last_reviewed=date(2026, 1, 15),
        tags=["Imuran", "Azathioprine"],
        drugs=[make_drug(generic_name="azathioprine", status=Status.PUBLISHED)],
    )
    make_reference(article, title="Azathioprine prescribing information", url="https://example.org/aza")
    return article


def test_article_page_shows_its_content(client, imuran):
    motrin = make_article(title="Motrin (ibuprofen)")
    pin(imuran, motrin)
    response = client.get(imuran.get_absolute_url())
    assert response.status_code == 200
    html = html_of(response)
    imuran.refresh_from_db()
    assert "<title>Imuran (azathioprine) | medsite</title>" in html
    assert "<h1>Imuran (azathioprine)</h1>" in html
    assert "How azathioprine calms the immune system." in html
    assert '<a href="/category/pain-relief/">Pain Relief</a>' in html
    assert '<a href="/tag/imuran/">Imuran</a>' in html
    assert '<a href="/tag/azathioprine/">Azathioprine</a>' in html
    assert "By Ada Lovelace" in html
    assert f'Published <time datetime="{localtime(imuran.published_at).strftime("%Y-%m-%dT%H:%M:%S%z")}">' in html
    assert f'Updated <time datetime="{localtime(imuran.updated_at).strftime("%Y-%m-%dT%H:%M:%S%z")}">' in html
    assert "<p>Azathioprine treats <strong>rheumatoid arthritis</strong>.</p>" in html
    assert "Medically reviewed by Grace Hopper" in html
    assert "Azathioprine prescribing information" in html
    assert 'href="/drugs/azathioprine/"' in html


def test_article_page_links_only_published_drugs(client, imuran):
    imuran.drugs.add(make_drug(generic_name="secretinib", status=Status.DRAFT))
    html = html_of(client.get(imuran.get_absolute_url()))
    assert 'href="/drugs/azathioprine/"' in html
    assert client.get("/drugs/secretinib/").status_code == 404
    assert "secretinib" not in html


def test_article_page_lists_see_also(client, imuran):
    motrin = make_article(title="Motrin (ibuprofen)")
    pin(imuran, motrin)
    response = client.get(imuran.get_absolute_url())
    assert [link.pk for link in response.context["see_also"]] == [motrin.pk]
    see_also = html_of(response).split('id="see-also-heading"', 1)[1]
    assert f'<a href="{motrin.get_absolute_url()}">Motrin (ibuprofen)</a>' in see_also


def test_article_page_carries_the_medical_disclaimer(client, imuran):
    html = html_of(client.get(imuran.get_absolute_url()))
    assert 'aria-label="Medical disclaimer"' in html
    assert "not medical advice" in html


def test_article_page_breadcrumbs_follow_the_category_tree(client, imuran):
    html = html_of(client.get(imuran.get_absolute_url()))
    crumbs = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S).group(1)
    labels = re.findall(r">([^<>]+)</(?:a|span)>", crumbs)
    assert labels == ["Home", "Medicines", "Pain Relief", "Imuran (azathioprine)"]
    assert '<span aria-current="page">Imuran (azathioprine)</span>' in crumbs


def test_article_page_has_one_h1_skip_link_and_landmarks(client, imuran):
    html = html_of(client.get(imuran.get_absolute_url()))
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert re.search(r'<main id="main"', html)
    for landmark in ("<nav", "<header", "<footer"):
        assert landmark in html, landmark


def test_article_page_escapes_title_and_summary(client):
    article = make_article(title="<script>alert(1)</script>", slug="xss", summary="<b>bold</b>")
    html = html_of(client.get(article.get_absolute_url()))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_unknown_article_is_404(client):
    assert client.get("/articles/no-such-article/").status_code == 404


# Categories


def test_category_index_shows_the_tree(client):
    parent = make_category(name="Pain Relief")
    make_category(name="Nerve Pain", parent=parent)
    response = client.get(reverse("articles:category-index"))
    assert response.status_code == 200
    html = html_of(response)
    assert [c.name for c in response.context["category_tree"]] == ["Pain Relief"]
    assert re.search(r"Pain Relief</a>.*<ul>.*Nerve Pain</a>", html, re.S)


def test_category_page_lists_own_and_subcategory_articles(client):
    parent = make_category(name="Pain Relief")
    child = make_category(name="Nerve Pain", parent=parent)
    grandchild = make_category(name="Neuralgia", parent=child)
    other = make_category(name="Skin")
    own = make_article(category=parent)
    below = make_article(category=child)
    deep = make_article(category=grandchild)
    elsewhere = make_article(category=other)
    response = client.get(parent.get_absolute_url())
    assert response.status_code == 200
    assert set(titles(response)) == {own.title, below.title, deep.title}
    assert elsewhere.title not in html_of(response)
    assert set(titles(client.get(child.get_absolute_url()))) == {below.title, deep.title}


def test_category_page_shows_twenty_a_page(client):
    category, author = make_category(), make_user()
    sub = make_category(parent=category)
    articles = [
        make_article(category=sub if i % 2 else category, author=author, published_at=hours_ago(i + 1))
        for i in range(21)
    ]
    first = client.get(category.get_absolute_url())
    second = client.get(category.get_absolute_url() + "?page=2")
    assert titles(first) == [a.title for a in articles[:20]]
    assert titles(second) == [articles[20].title]


def test_category_page_links_its_subcategories(client):
    parent = make_category(name="Pain Relief")
    child = make_category(name="Nerve Pain", slug="nerve-pain", parent=parent)
    html = html_of(client.get(parent.get_absolute_url()))
    assert f'<a href="{child.get_absolute_url()}">Nerve Pain</a>' in html


def test_unknown_category_is_404(client):
    assert client.get("/category/no-such-category/").status_code == 404


# Tags


def tag_counts(response) -> dict[str, int]:
    return {row["tag__name"]: row["article_count"] for row in response.context["tags"]}


def test_tag_index_counts_only_published_articles(client):
    make_article(tags=["Liver", "Imuran"])
    make_article(tags=["Liver"])
    make_article(tags=["Liver"], status=Status.DRAFT)
    make_article(tags=["Drafts only"], status=Status.DRAFT)
    make_article(tags=["Drafts only"], status=Status.IN_REVIEW)
    response = client.get(reverse("articles:tag-index"))
    assert response.status_code == 200
    assert tag_counts(response) == {"Imuran": 1, "Liver": 2}
    html = html_of(response)
    assert '<a href="/tag/liver/">Liver</a> <span class="count">2 articles</span>' in html
    assert '<a href="/tag/imuran/">Imuran</a> <span class="count">1 article</span>' in html
    assert "Drafts only" not in html


def test_tag_page_lists_its_published_articles(client):
    tagged = make_article(tags=["Imuran"])
    untagged = make_article(tags=["Liver"])
    response = client.get("/tag/imuran/")
    assert response.status_code == 200
    assert titles(response) == [tagged.title]
    assert untagged.title not in html_of(response)
    assert "<h1>Articles tagged &ldquo;Imuran&rdquo;</h1>" in html_of(response)


def test_tag_page_shows_twenty_a_page(client):
    category, author = make_category(), make_user()
    articles = [
        make_article(category=category, author=author, tags=["Liver"], published_at=hours_ago(i + 1)) for i in range(21)
    ]
    assert titles(client.get("/tag/liver/")) == [a.title for a in articles[:20]]
    assert titles(client.get("/tag/liver/?page=2")) == [articles[20].title]


def test_unknown_tag_is_404(client):
    assert client.get("/tag/no-such-tag/").status_code == 404


# Page numbers


@pytest.fixture
def listings():
    """Two pages of articles on home, a category page and a tag page."""
    category, author = make_category(slug="pain-relief"), make_user()
    for i in range(21):
        make_article(category=category, author=author, tags=["Liver"], published_at=hours_ago(i + 1))
    return ["/", "/category/pain-relief/", "/tag/liver/"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1e9", str(10**30), "1.5", "%00"])
def test_bad_page_numbers_answer_404(client, listings, page):
    for url in listings:
        response = client.get(f"{url}?page={page}")
        assert response.status_code == 404, (url, page)


def test_page_last_shows_the_last_page(client, listings):
    assert len(client.get("/?page=last").context["articles"]) == 1
    assert len(client.get("/category/pain-relief/?page=last").context["articles"]) == 1
    assert len(client.get("/tag/liver/?page=last").context["articles"]) == 1


def test_empty_listing_still_answers_page_one(client):
    make_category(slug="empty")
    assert client.get("/").status_code == 200
    assert client.get("/category/empty/").status_code == 200
    assert "No articles here yet." in html_of(client.get("/category/empty/?page=1"))


def test_cards_escape_what_editors_typed(client):
    # The card list is rendered by Jinja2 (medsite/jinja.py), escaped by markupsafe: quotes as &#39; and &#34;.
    category = make_category(name="Kids & <Teens>", slug="kids")
    make_article(
        title='<script>alert(1)</script> Tom\'s "guide"',
        slug="toms-guide",
        summary="Less <b>than</b> & more",
        category=category,
        tags=["Ibuprofen & co"],
    )
    html = html_of(client.get("/category/kids/"))
    assert '<a href="/articles/toms-guide/">&lt;script&gt;alert(1)&lt;/script&gt; Tom&#39;s &#34;guide&#34;</a>' in html
    assert '<p class="card__summary">Less &lt;b&gt;than&lt;/b&gt; &amp; more</p>' in html
    assert ">Kids &amp; &lt;Teens&gt;</a>" in html
    assert ">Ibuprofen &amp; co</a></li>" in html
    assert "<script>alert" not in html
