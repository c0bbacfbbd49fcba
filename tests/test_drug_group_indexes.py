"""/drug-classes/ and /conditions/: A-Z indexes with how many published drugs each class or condition has."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_condition, make_drug_class, make_drug_use, make_published_drug

pytestmark = pytest.mark.django_db


def test_the_class_index_lists_classes_a_to_z_with_their_published_drugs_counted():
    nsaids = make_drug_class(name="NSAIDs")
    immuno = make_drug_class(name="Immunosuppressants")
    make_drug_class(name="Empty class")
    for drug in (make_published_drug(), make_published_drug()):
        drug.classes.add(nsaids)
    for state in (
        {"status": Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"expires_at": timezone.now() - timedelta(minutes=1), "published_at": timezone.now() - timedelta(hours=2)},
    ):
        make_published_drug(**state).classes.add(nsaids, immuno)
    make_published_drug().classes.add(immuno)
    response = Client().get("/drug-classes/")
    assert response.status_code == 200
    assert [(group.name, group.drug_count) for group in response.context["groups"]] == [
        ("Immunosuppressants", 1),
        ("NSAIDs", 2),
    ]
    html = response.content.decode()
    assert '<a href="/drug-classes/nsaids/">NSAIDs</a> <span class="muted">(2 drugs)</span>' in html
    assert (
        '<a href="/drug-classes/immunosuppressants/">Immunosuppressants</a> <span class="muted">(1 drug)</span>' in html
    )
    assert "Empty class" not in html
    assert [initial for initial, _ in response.context["sections"]] == ["I", "N"]


def test_the_condition_index_counts_each_drug_once():
    arthritis = make_condition(name="Rheumatoid arthritis")
    make_condition(name="Unused condition")
    drug = make_published_drug()
    make_drug_use(drug, condition=arthritis, on_label=True)
    make_drug_use(make_published_drug(), condition=arthritis, on_label=False)
    make_drug_use(make_published_drug(status=Status.DRAFT), condition=arthritis)
    response = Client().get("/conditions/")
    assert [(group.name, group.drug_count) for group in response.context["groups"]] == [("Rheumatoid arthritis", 2)]
    assert 'href="/conditions/rheumatoid-arthritis/"' in response.content.decode()


def test_drug_pages_and_the_footer_link_the_indexes():
    drug = make_published_drug(generic_name="azathioprine")
    html = Client().get(drug.get_absolute_url()).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    footer = html[html.index('<footer class="site-footer">') :]
    for url in ("/drug-classes/", "/conditions/"):
        assert f'href="{url}"' in main and f'href="{url}"' in footer


def test_class_and_condition_pages_lead_back_to_their_index():
    drug_class = make_drug_class(name="NSAIDs")
    condition = make_condition(name="Gout")
    assert Client().get(drug_class.get_absolute_url()).context["breadcrumbs"][0] == ("Drug classes", "/drug-classes/")
    assert Client().get(condition.get_absolute_url()).context["breadcrumbs"][0] == ("Conditions", "/conditions/")


def test_both_indexes_are_in_the_sitemap():
    make_published_drug()
    xml = Client().get("/sitemap-drug-index.xml").content.decode()
    assert "/drug-classes/</loc>" in xml and "/conditions/</loc>" in xml


def test_the_indexes_answer_with_nothing_published_yet():
    make_drug_class(name="NSAIDs")
    for url in ("/drug-classes/", "/conditions/"):
        response = Client().get(url)
        assert response.status_code == 200
        assert "Nothing here yet." in response.content.decode()
