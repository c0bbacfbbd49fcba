"""Questions and answers at the end of an article: edited inline, kept in revisions, shown accessibly, and
described to search engines as FAQPage data."""

import json
import re

import pytest
from django.contrib import messages
from reversion.models import Version

from articles.models import FaqItem
from publishing.models import Status
from tests.admin_helpers import add_row, admin_url, form_data, messages_of
from tests.factories import make_article, make_role_user
from workflow.roles import PUBLISHER

pytestmark = pytest.mark.django_db


def json_ld(html: str, kind: str) -> dict:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_an_articles_questions_show_at_its_end_as_disclosures_and_faqpage_data(client):
    article = make_article(status=Status.PUBLISHED, body="<p>Main text.</p>")
    FaqItem.objects.create(article=article, position=2, question="Second?", answer="<p>Two.</p>")
    FaqItem.objects.create(
        article=article, position=1, question="Can I drink <alcohol>?", answer='<p>Ask <script>x()</script>"us".</p>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    section = re.search(r'<section class="faq".*?</section>', html, re.DOTALL).group(0)
    assert 'aria-labelledby="faq-heading"' in section and '<h2 id="faq-heading">' in section
    summaries = re.findall(r'<summary class="faq__question">(.*?)</summary>', section)
    assert summaries == ["Can I drink &lt;alcohol&gt;?", "Second?"]  # in order, escaped
    assert "<script>" not in section  # the answer was sanitised on save
    assert html.index("Main text.") < html.index('class="faq"')
    data = json_ld(html, "FAQPage")
    assert data["@context"] == "https://schema.org"
    assert data["mainEntity"] == [
        {"@type": "Question", "name": "Can I drink <alcohol>?",
         "acceptedAnswer": {"@type": "Answer", "text": '<p>Ask "us".</p>'}},
        {"@type": "Question", "name": "Second?", "acceptedAnswer": {"@type": "Answer", "text": "<p>Two.</p>"}},
    ]  # fmt: skip
    assert "</script><" not in html.split('"FAQPage"')[1].split("</script>")[0]


def test_an_article_without_questions_has_no_faq_section_or_data(client):
    article = make_article(status=Status.PUBLISHED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="faq"' not in html and "FAQPage" not in html


def test_questions_are_edited_on_the_article_page_and_kept_in_its_revisions(client):
    client.force_login(make_role_user(PUBLISHER))
    article = make_article(status=Status.DRAFT, body="<p>Text.</p>")
    url = admin_url(article, "change")
    data = add_row(form_data(client, url), "faq_items", question="Is it safe?", answer="<p>Usually.</p>", position=0)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain and messages_of(response, level=messages.WARNING) == []
    assert list(article.faq_items.values_list("question", "answer")) == [("Is it safe?", "<p>Usually.</p>")]
    version = Version.objects.get_for_object(article).first()
    parts = version.revision.version_set.exclude(pk=version.pk)
    assert "Is it safe?" in [part.object_repr for part in parts]
    history = client.get(admin_url(article, "history"))
    assert history.status_code == 200
