"""References as evidence: identifiers checked and normalised, numbered citations linked both ways, JSON-LD."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from publishing.html import link_citations
from tests.admin_helpers import add_row, change_url, errors_of, form_data
from tests.factories import make_article, make_drug_reference, make_published_drug, make_reference

pytestmark = pytest.mark.django_db

SETID = "3b4bb1e4-0d1f-4b9c-9d5e-7e8f6a5b4c3d"


def json_ld(html) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]


# Identifier formats


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("doi", "https://doi.org/10.1056/NEJMoa2034577", "10.1056/NEJMoa2034577"),
        ("doi", "doi: 10.1000/xyz(123)", "10.1000/xyz(123)"),
        ("doi", "http://dx.doi.org/10.1016/S0140-6736(20)32661-1", "10.1016/S0140-6736(20)32661-1"),
        ("pmid", "PMID: 33301246", "33301246"),
        ("pmid", "https://pubmed.ncbi.nlm.nih.gov/33301246/", "33301246"),
        ("spl_set_id", SETID.upper(), SETID),
        ("spl_set_id", f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={SETID}&audience=x", SETID),
    ],
)
def test_pasted_identifiers_are_stored_bare(field, typed, stored):
    ref = make_reference(make_article(), **{field: typed})
    ref.full_clean()
    ref.save()
    ref.refresh_from_db()
    assert getattr(ref, field) == stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "11.1056/x", "Enter a DOI"),
        ("doi", "10.12/short-registrant", "Enter a DOI"),
        ("doi", "10.1056/has space", "Enter a DOI"),
        ("pmid", "12a45", "PubMed id"),
        ("pmid", "0", "PubMed id"),
        ("pmid", "1234567890", "PubMed id"),
        ("spl_set_id", "not-a-uuid", "set id"),
        ("spl_set_id", "3b4bb1e4-0d1f-4b9c-9d5e", "set id"),
    ],
)
def test_malformed_identifiers_are_refused_with_a_clear_message(field, value, message):
    ref = make_reference(make_article())
    setattr(ref, field, value)
    with pytest.raises(ValidationError) as refused:
        ref.full_clean()
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])


def test_admin_inline_refuses_a_bad_doi_and_keeps_the_text(editor_client, editor):
    article = make_article(author=editor)
    data = add_row(form_data(editor_client, change_url(article)), "references", title="A trial", doi="doi.org/x")
    response = editor_client.post(change_url(article), data)
    assert "Enter a DOI" in errors_of(response)
    assert 'value="doi.org/x"' in response.content.decode()
    assert article.references.count() == 0


# Numbered citations


def test_article_lists_numbered_references_with_identifiers_linked(client):
    article = make_article(body="<p>Azathioprine suppresses the immune system [1]. Liver checks matter [2][1].</p>")
    make_reference(article, title="First trial", position=0, doi="10.1056/NEJMoa2034577", pmid="33301246")
    make_reference(article, title="Label", position=1, spl_set_id=SETID)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<li id="ref-1">' in html and '<li id="ref-2">' in html
    assert 'href="https://doi.org/10.1056/NEJMoa2034577"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/33301246/"' in html
    assert f'href="https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={SETID}"' in html
    # Markers link to the list, and each cited entry links back to its first marker.
    assert re.search(r'<a[^>]*id="cite-1"[^>]*href="#ref-1"[^>]*>\[1\]</a>', html)
    assert re.search(r'<a[^>]*id="cite-2"[^>]*href="#ref-2"', html)
    assert re.search(r'<a[^>]*id="cite-1-2"[^>]*href="#ref-1"', html)
    assert 'href="#cite-1"' in html and 'href="#cite-2"' in html


def test_markers_without_a_reference_or_inside_links_stay_text():
    body = '<p>See [3] and <a href="https://example.org/">page [1]</a> and [0] and [1].</p>'
    html, cited = link_citations(body, 2)
    assert cited == [1]
    assert "[3]" in html and 'href="#ref-3"' not in html
    assert ">page [1]</a>" in html
    assert html.count('href="#ref-1"') == 1


def test_stored_body_cannot_carry_the_display_attributes():
    """Ids and classes come only from the display step: an editor's own are removed on save."""
    body = '<p><a id="cite-1" class="cite__link" href="#ref-1">x</a> <sup class="cite">y</sup></p>'
    article = make_article(body=body)
    assert "id=" not in article.body and "class=" not in article.body


def test_display_step_keeps_the_sanitiser_in_charge():
    """Whatever reaches the display step, only the citation attributes it makes get through."""
    html, _ = link_citations('<p onclick="x()">[1]<a id="evil" href="#ref-9" class="other">z</a></p>', 1)
    assert "onclick" not in html
    assert 'id="evil"' not in html and 'class="other"' not in html
    assert 'id="cite-1"' in html


# JSON-LD


def test_article_json_ld_lists_its_references_as_citations(client):
    article = make_article()
    make_reference(article, title="First trial", publisher="NEJM", year=2021, doi="10.1056/NEJMoa2034577")
    make_reference(article, title="Plain page", url="https://example.org/page")
    html = client.get(article.get_absolute_url()).content.decode()
    page = next(block for block in json_ld(html) if block.get("@type") == "MedicalWebPage")
    first, second = page["citation"]
    assert first["@type"] == "ScholarlyArticle"
    assert first["name"] == "First trial" and first["datePublished"] == "2021"
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1056/NEJMoa2034577"} in first["identifier"]
    assert first["sameAs"] == ["https://doi.org/10.1056/NEJMoa2034577"]
    assert second == {"@type": "CreativeWork", "name": "Plain page", "url": "https://example.org/page"}


def test_drug_json_ld_lists_its_references_as_citations(client):
    drug = make_published_drug()
    make_drug_reference(drug, title="Prescribing information", spl_set_id=SETID)
    html = client.get(drug.get_absolute_url()).content.decode()
    data = next(block for block in json_ld(html) if block.get("@type") == "Drug")
    assert data["citation"][0]["name"] == "Prescribing information"
    assert data["citation"][0]["sameAs"] == [f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={SETID}"]
    assert f'setid={SETID}"' in html
