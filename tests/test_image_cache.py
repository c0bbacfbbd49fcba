"""Replacing an image, or editing its alt text, shows at once on every cached page that uses it."""

import pytest

from images.services import image_save
from tests.factories import image_upload, make_article, make_category, make_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def fetch(client, url):
    response = client.get(url)
    return response.content.decode(), response.get("X-Page-Cache")


@pytest.fixture
def pages(commit):
    with commit():
        featured = make_image(alt_text="Old featured words")
        inline = make_image(alt_text="Old body words")
        category = make_category(name="Liver", featured=True)
        article = make_article(
            category=category, featured_image=featured, body=f'<p>Intro</p><img data-image="{inline.pk}" alt="">'
        )
    urls = [article.get_absolute_url(), "/", category.get_absolute_url()]
    return featured, inline, urls


def warm(client, urls):
    for url in urls:
        client.get(url)
        assert fetch(client, url)[1] == "hit", url


def test_new_alt_text_of_a_featured_image_shows_on_the_article_and_its_cards(client, pages, commit):
    featured, _, urls = pages
    warm(client, urls)
    with commit():
        featured.alt_text = "A labelled diagram of the liver"
        image_save(image=featured)
    for url in urls:
        html, state = fetch(client, url)
        assert state == "miss", url
        assert "A labelled diagram of the liver" in html and "Old featured words" not in html, url


def test_new_alt_text_of_a_body_image_shows_on_the_article(client, pages, commit):
    _, inline, urls = pages
    warm(client, urls[:1])
    with commit():
        inline.alt_text = "New body words"
        image_save(image=inline)
    html, state = fetch(client, urls[0])
    assert state == "miss"
    assert "New body words" in html


def test_a_replaced_file_is_served_at_once_under_new_names(client, pages, commit):
    featured, _, urls = pages
    warm(client, urls[:1])
    old_html = fetch(client, urls[0])[0]
    old_names = {rendition.file.name for rendition in featured.renditions.all()}
    assert all(name in old_html for name in old_names if name.endswith(".jpg"))
    with commit():
        image_save(image=featured, upload=image_upload(color=(230, 40, 40)))
    html, state = fetch(client, urls[0])
    assert state == "miss"
    assert not any(name in html for name in old_names)
    assert all(rendition.file.name in html for rendition in featured.renditions.all() if rendition.width <= 800)
