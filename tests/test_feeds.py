"""RSS and Atom feeds: well-formed for feedparser, published articles only, linked from pages."""

import html
import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_article, make_category, make_image, make_user

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def site():
    parent = make_category(name="Pain Relief", slug="pain-relief")
    child = make_category(name="Nerve Pain", slug="nerve-pain", parent=parent)
    other = make_category(name="Skin")
    author = make_user(first_name="Ada", last_name="Lovelace")
    now = timezone.now()
    return {
        "old": make_article(
            title="Older <pain> & relief",
            category=parent,
            author=author,
            tags=["NSAIDs"],
            published_at=now - timedelta(days=2),
        ),
        "new": make_article(
            title="Newer nerve pain article",
            category=child,
            author=author,
            tags=["NSAIDs", "Nerve pain"],
            summary="Summary with “quotes” & <angle brackets>.",
            published_at=now - timedelta(hours=1),
        ),
        "skin": make_article(title="Skin article", category=other, author=author, published_at=now - timedelta(days=1)),
        "draft": make_article(
            title="Draft article", category=parent, author=author, tags=["NSAIDs"], status=Status.DRAFT
        ),
        "scheduled": make_article(
            title="Scheduled article",
            category=parent,
            author=author,
            tags=["NSAIDs"],
            published_at=now + timedelta(days=1),
        ),
    }


@pytest.mark.parametrize("suffix", ["", "atom/"], ids=["rss", "atom"])
def test_latest_feed_lists_published_articles_newest_first(client, site, suffix):
    response, feed = parse(client, f"/feeds/latest/{suffix}")
    assert [entry.title for entry in feed.entries] == [
        "Newer nerve pain article",
        "Skin article",
        "Older <pain> & relief",
    ]
    newest = feed.entries[0]
    assert newest.link == "http://testserver" + site["new"].get_absolute_url()
    assert html.unescape(newest.summary) == "Summary with “quotes” & <angle brackets>."
    assert newest.author == "Ada Lovelace"
    assert {tag.term for tag in newest.tags} == {"Nerve Pain", "NSAIDs", "Nerve pain"}
    assert newest.published_parsed is not None or newest.updated_parsed is not None
    assert feed.version == ("atom10" if suffix else "rss20")


@pytest.mark.parametrize("suffix", ["", "atom/"], ids=["rss", "atom"])
def test_category_feed_includes_subcategories(client, site, suffix):
    _, feed = parse(client, f"/feeds/category/pain-relief/{suffix}")
    assert [entry.title for entry in feed.entries] == ["Newer nerve pain article", "Older <pain> & relief"]
    assert "Pain Relief" in feed.feed.title


@pytest.mark.parametrize("suffix", ["", "atom/"], ids=["rss", "atom"])
def test_tag_feed_lists_the_tags_published_articles(client, site, suffix):
    _, feed = parse(client, f"/feeds/tag/nerve-pain/{suffix}")
    assert [entry.title for entry in feed.entries] == ["Newer nerve pain article"]
    _, feed = parse(client, f"/feeds/tag/nsaids/{suffix}")
    assert [entry.title for entry in feed.entries] == ["Newer nerve pain article", "Older <pain> & relief"]


def test_unknown_or_private_feeds_are_not_found(client, site):
    make_article(title="Draft only", status=Status.DRAFT, tags=["Secret tag"])
    assert client.get("/feeds/category/no-such/").status_code == 404
    assert client.get("/feeds/tag/no-such/").status_code == 404
    assert client.get("/feeds/tag/secret-tag/").status_code == 404


def test_feeds_are_linked_from_pages(client, site):
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in home
    assert 'href="/feeds/latest/"' in home and 'href="/feeds/latest/atom/"' in home
    category = client.get("/category/pain-relief/").content.decode()
    assert 'href="/feeds/category/pain-relief/"' in category and 'href="/feeds/category/pain-relief/atom/"' in category
    tag = client.get("/tag/nsaids/").content.decode()
    assert 'href="/feeds/tag/nsaids/"' in tag and 'href="/feeds/tag/nsaids/atom/"' in tag
    article = client.get(site["new"].get_absolute_url()).content.decode()
    assert 'href="/feeds/category/nerve-pain/"' in article


def test_feed_query_count_does_not_grow(client, site, django_assert_max_num_queries):
    category = make_category()
    for i in range(3):
        make_article(category=category, tags=[f"T{i}", "NSAIDs"])
    client.get("/feeds/tag/nsaids/")
    with django_assert_max_num_queries(4):  # tag, its published check, articles, their tags
        client.get("/feeds/tag/nsaids/")
    for i in range(20):
        make_article(category=category, tags=[f"U{i}", f"V{i}", "NSAIDs"])
    with django_assert_max_num_queries(4):
        assert client.get("/feeds/tag/nsaids/").status_code == 200


# --- Body images ---------------------------------------------------------------------------------

IMG_TAG = re.compile(r"<img\b[^>]*>")


def body_with(*images) -> str:
    return "<p>Intro.</p>" + "".join(f'<img data-image="{image.pk}" alt="">' for image in images)


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_feed_content_has_body_images_with_absolute_src_size_and_alt(client, suffix):
    captioned = make_image(alt_text="Diagram of the liver", caption="The liver", credit="Illustration: medsite")
    plain = make_image(alt_text="A pill box", caption="", credit="")
    make_article(title="Liver and pills", body=body_with(captioned, plain))

    _, feed = parse(client, f"/feeds/latest/{suffix}")

    content = feed.entries[0].content[0].value
    imgs = IMG_TAG.findall(content)
    assert len(imgs) == 2
    for img in imgs:
        assert re.search(r'src="http://testserver/media/images/[^"]+\.jpg"', img), img
        assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img), img
        assert "data-image" not in img and ".avif" not in img and ".webp" not in img
    assert 'alt="Diagram of the liver"' in imgs[0]
    assert "<figcaption>The liver Illustration: medsite</figcaption>" in content
    assert 'alt="A pill box"' in imgs[1]
    assert "<picture" not in content
    # The summary stays the summary.
    assert feed.entries[0].summary == "Summary of Liver and pills."


def test_feed_drops_an_image_the_library_no_longer_has(client):
    gone = make_image()
    make_article(title="Lost picture", body=body_with(gone))
    gone.delete()

    _, feed = parse(client, "/feeds/latest/")

    content = feed.entries[0].content[0].value
    assert "Intro." in content
    assert "<img" not in content


def test_feed_images_cost_a_fixed_number_of_queries(client, django_assert_num_queries):
    category = make_category()

    def add_articles(count):
        for _ in range(count):
            make_article(category=category, body=body_with(make_image(), make_image()))

    add_articles(2)
    client.get("/feeds/latest/")
    # articles, their tags, the images of every body, their renditions
    with django_assert_num_queries(4):
        response = client.get("/feeds/latest/")
    assert len(IMG_TAG.findall(html.unescape(response.content.decode()))) == 4
    add_articles(6)
    with django_assert_num_queries(4):
        response = client.get("/feeds/latest/")
    assert len(IMG_TAG.findall(html.unescape(response.content.decode()))) == 16
