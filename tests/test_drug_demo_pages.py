"""Drug pages as readers see them after ``load_demo``.

The demo is loaded once for this module, inside a transaction that is rolled
back when the module ends; each test still runs in its own savepoint.
"""

import re

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("load_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def section(html: str, heading_id: str) -> str:
    """The HTML from the heading with this id to the next <section>."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_azathioprine_page_after_load_demo(client):
    response = client.get("/drugs/azathioprine/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert response.context["breadcrumbs"][-1] == ("Azathioprine", None)

    identity = text(section(html, "identity-heading"))
    assert "Also known as" in identity and "Imuran" in identity and "Azasan" in identity
    assert "Immunosuppressants (antimetabolites)" in identity
    assert "Prescription only" in identity
    assert "lymphoma" in text(section(html, "boxed-warning-heading"))

    uses = text(section(html, "uses-heading"))
    on_label, off_label = uses.split("Off-label uses")
    assert "Kidney transplant rejection" in on_label and "Rheumatoid arthritis" in on_label
    for condition in ["Lupus", "Crohn's disease", "Ulcerative colitis"]:
        assert condition.replace("'", "&#x27;") in off_label or condition in off_label
    assert "Lupus" not in on_label

    side_effects = section(html, "side-effects-heading")
    common, serious = side_effects.split("Serious side effects")
    assert "nausea" in common and "leukopenia" not in common
    assert "leukopenia" in serious and "nausea" not in serious

    precautions = text(section(html, "precautions-heading"))
    for topic in ["Pregnancy", "Infection", "Cancer risk", "Vaccination"]:
        assert topic in precautions

    interactions = text(section(html, "interactions-heading"))
    positions = [interactions.index(name) for name in ["Febuxostat", "Allopurinol", "Warfarin"]]
    assert positions == sorted(positions), "worst first: contraindicated, major, moderate"
    assert "Live vaccines" in interactions

    imuran_article = Article.objects.published().filter(drugs__slug="azathioprine", tags__name="Imuran").first()
    assert imuran_article is not None
    assert f'href="{imuran_article.get_absolute_url()}"' in section(html, "articles-heading")
    assert "dailymed.nlm.nih.gov" in section(html, "references-heading")
    assert "general information, not medical advice" in html


def test_sections_come_in_a_fixed_order(client):
    html = client.get("/drugs/azathioprine/").content.decode()
    ids = [
        "identity-heading",
        "boxed-warning-heading",
        "mechanism-heading",
        "pk-heading",
        "uses-heading",
        "side-effects-heading",
        "precautions-heading",
        "interactions-heading",
        "articles-heading",
        "references-heading",
    ]
    positions = [html.index(f'id="{heading}"') for heading in ids]
    assert positions == sorted(positions)
    assert positions[-1] < html.index("Medical disclaimer")


def test_brand_name_redirects_permanently_to_the_generic_page(client):
    for path in ["/drugs/imuran/", "/drugs/azasan/", "/drugs/Imuran/", "/drugs/AZATHIOPRINE/"]:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == "/drugs/azathioprine/"
    assert client.get("/drugs/motrin/")["Location"] == "/drugs/ibuprofen/"
    assert client.get("/drugs/naprelan/")["Location"] == "/drugs/naproxen/"
    assert client.get("/drugs/no-such-drug/").status_code == 404


def test_letter_filter_lists_generic_and_brand_names(client):
    response = client.get("/drugs/", {"letter": "I"})
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") :]
    assert re.search(r'<a href="/drugs/azathioprine/">Imuran</a>', main)
    assert '<a href="/drugs/ibuprofen/">Ibuprofen</a>' in main
    assert "Naproxen" not in text(main.split("</nav>", 1)[1])
    assert client.get("/drugs/", {"letter": "i"}).context["letter"] == "I"


def test_class_page_lists_its_published_drugs_with_brand_names(client):
    response = client.get("/drug-classes/nsaids/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<a href="/drugs/ibuprofen/">Ibuprofen</a>' in html
    assert '<a href="/drugs/naproxen/">Naproxen</a>' in html
    assert "Motrin" in html
    assert "Morphine" not in html
    assert client.get("/drug-classes/no-such-class/").status_code == 404
