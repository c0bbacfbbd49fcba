"""The demo loader: idempotent, and the demo facts the README promises hold.

Loading the demo takes about a second, so each test below checks several
facts about one load rather than loading again per fact.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from articles.models import Article, Category, RelatedArticle
from articles.related import see_also_for
from demo.management.commands.load_demo import DEMO_EDITOR

pytestmark = pytest.mark.django_db

# Our apps and the tag tables: a second run must leave their rows alone.
CHECKED_APPS = ["articles", "drugs", "pages", "taggit", "images"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def checked_models():
    for app in CHECKED_APPS:
        yield from apps.get_app_config(app).get_models()
    yield get_user_model()


def snapshot() -> dict[str, dict]:
    """Row count, row ids and updated_at values of every checked model."""
    state = {}
    for model in checked_models():
        label = model._meta.label
        state[f"{label} count"] = model.objects.count()
        # "See also" scores are derived data that the loader recomputes on purpose.
        if model is not RelatedArticle:
            state[f"{label} ids"] = sorted(model.objects.values_list("pk", flat=True))
        if any(field.name == "updated_at" for field in model._meta.get_fields()):
            state[f"{label} updated_at"] = list(model.objects.order_by("pk").values_list("pk", "updated_at"))
    return state


def test_second_run_changes_nothing():
    first = load_demo()
    assert "Demo content ready" in first
    before = snapshot()
    assert before["articles.Article count"] >= 1
    assert before["articles.Article updated_at"]
    second = load_demo()
    assert "Demo content ready" in second
    after = snapshot()
    counts = {key: value for key, value in after.items() if key.endswith("count")}
    assert counts == {key: value for key, value in before.items() if key.endswith("count")}
    assert after == before


def test_dry_run_writes_nothing():
    out = StringIO()
    call_command("load_demo", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would load")
    assert not Article.objects.exists()
    assert not Category.objects.exists()


def all_pages(client, url) -> str:
    """The HTML of every page of a paginated listing."""
    html, page = "", 1
    while True:
        response = client.get(url, {"page": page})
        assert response.status_code == 200, (url, page)
        html += response.content.decode()
        if not response.context["page_obj"].has_next():
            return html
        page += 1


def test_imuran_article_is_filed_tagged_linked_and_listed(client):
    load_demo()
    imuran = Article.objects.get(title__istartswith="Imuran")
    assert imuran.is_public
    assert imuran.category.name == "Pain Relief"
    assert imuran.category.slug == "pain-relief"
    assert {"imuran", "azathioprine"} <= {name.lower() for name in imuran.tags.names()}

    listed = Article.objects.in_bulk([link.pk for link in see_also_for(imuran)]).values()
    assert len(listed) >= 2
    assert imuran not in listed
    assert all(article.is_public for article in listed)
    page = client.get(imuran.get_absolute_url())
    assert page.status_code == 200
    see_also = page.content.decode().split('id="see-also-heading"', 1)[1]
    for article in listed:
        assert f'<a href="{article.get_absolute_url()}">' in see_also

    link = f'<a href="{imuran.get_absolute_url()}">'
    assert link in all_pages(client, "/tag/azathioprine/")
    assert link in all_pages(client, "/category/pain-relief/")


def test_the_brand_names_tag_page_is_the_generics_under_another_name(client):
    load_demo()
    brand = client.get("/tag/imuran/")
    assert "another name for" in brand.content.decode()
    generic = Article.objects.published().filter(tags__name="Azathioprine").distinct().count()
    assert brand.context["paginator"].count == client.get("/tag/azathioprine/").context["paginator"].count == generic


def test_demo_editor_can_log_in_with_the_printed_password():
    output = load_demo()
    assert repr(DEMO_EDITOR["username"]) in output
    assert repr(DEMO_EDITOR["password"]) in output
    client = Client()
    assert client.login(username=DEMO_EDITOR["username"], password=DEMO_EDITOR["password"])
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["user"].username == DEMO_EDITOR["username"]
    assert client.get("/admin/articles/article/").status_code == 200


def test_the_demo_site_pages_are_published_signed_off_and_in_the_footer():
    from pages.models import Page
    from publishing.models import Status

    load_demo()
    expected = {
        "about": "About medsite",
        "about/editorial-policy": "Editorial policy",
        "about/medical-review": "How we review",
        "about/corrections": "Corrections",
        "disclaimer": "Disclaimer",
        "privacy": "Privacy",
    }
    pages = {page.slug: page for page in Page.objects.select_related("author", "reviewed_by")}
    assert {slug: page.title for slug, page in pages.items()} == expected
    for page in pages.values():
        assert page.status == Status.PUBLISHED and page.is_public, page.slug
        assert page.reviewed_by is not None and page.reviewed_by != page.author, page.slug
    html = Client().get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for slug in expected:
        assert f'href="/{slug}/"' in footer, slug
    assert 'href="/about/">About us</a>' in html[: html.index("</header>")]
    # The privacy page says reading sets no cookie.
    assert not Client().get("/privacy/").cookies
    policy = Client().get("/about/editorial-policy/").content.decode()
    assert "https://service-manual.nhs.uk/content/standard-for-creating-health-content" in policy
    assert "https://pifonline.org.uk/" in policy


def test_demo_articles_and_drugs_have_drawn_images_featured_and_in_the_body(client):
    from PIL import Image as PillowImage

    from images.models import Image

    load_demo()
    images = list(Image.objects.all())
    assert len(images) >= 5
    for image in images:
        assert image.credit == "Illustration: medsite"
        assert image.alt_text and not image.decorative
        assert image.format in {"png", "jpeg"}
        with image.file.open("rb") as original:
            assert PillowImage.open(original).format in {"PNG", "JPEG"}
    assert Article.objects.filter(featured_image__isnull=False).count() >= 4
    assert apps.get_model("drugs", "Drug").objects.filter(featured_image__isnull=False).count() >= 3
    html = client.get("/articles/motrin-ibuprofen/").content.decode()
    assert html.count("<picture>") == 2  # featured, and the diagram in the body
    assert "Illustration: medsite" in html
    assert "How an NSAID works" not in html  # the library title stays in the admin; readers get the alt text
    assert 'alt="Diagram: an NSAID tablet is absorbed' in html
    drug_html = client.get("/drugs/azathioprine/").content.decode()
    assert 'alt="Drawing of a medicine box labelled azathioprine' in drug_html
