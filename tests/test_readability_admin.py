"""Readability in the admin: the reading-age panel on content forms, the glossary, the review queue's sort."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publishing.registry import publishable_models
from readability.models import GlossaryTerm
from tests.admin_helpers import change_url
from tests.factories import make_article, make_published_drug, make_role_user, make_user
from workflow.roles import AUTHOR, PUBLISHER
from workflow.selectors import review_queue, waiting_for_review

pytestmark = pytest.mark.django_db

PLAIN = "<p>Rest. Drink water.</p>"
HARD = "<p>Discontinue administration if abdominal intolerance develops after a myocardial infarction.</p>"


def panel_of(html: str) -> str:
    match = re.search(r'<section class="module readability-panel".*?</section>', html, re.DOTALL)
    assert match, "no readability panel on the page"
    return match.group(0)


def test_the_article_form_shows_reading_age_longest_sentences_hard_words_and_glossary_hints(editor_client):
    GlossaryTerm.objects.create(term="myocardial infarction", plainer="heart attack")
    GlossaryTerm.objects.create(term="analgesic", plainer="painkiller")
    article = make_article(summary="About stopping a medicine.", body=HARD)
    panel = panel_of(editor_client.get(change_url(article)).content.decode())
    assert 'data-fields="id_summary id_body"' in panel and "NHS target: a reading age of 9 to 11" in panel
    assert "Instead of “myocardial infarction”, try “heart attack”." in panel
    assert "painkiller" not in panel.split('id="readability-glossary"')[0]  # not in the text: no hint
    assert 'administration <span class="readability-panel__count">(5 syllables)' in panel
    assert 'infarction. <span class="readability-panel__count">(10 words)' in panel  # the sentence, listed
    assert 'src="/static/readability/readability-core.js"' in panel and "<script>" not in panel  # CSP: files only


def test_every_content_form_has_the_panel_over_its_own_text_fields(editor_client):
    drug = make_published_drug(mechanism="It blocks an enzyme.")
    panel = panel_of(editor_client.get(change_url(drug)).content.decode())
    fields = re.search(r'data-fields="([^"]*)"', panel).group(1).split()
    assert {"id_summary", "id_mechanism", "id_absorption", "id_boxed_warning"} <= set(fields)
    assert "id_generic_name" not in fields and "id_slug" not in fields


def test_the_glossary_is_kept_by_publishers_and_closed_to_authors():
    url = reverse("admin:readability_glossaryterm_add")
    publisher, author = Client(), Client()
    publisher.force_login(make_role_user(PUBLISHER))
    author.force_login(make_role_user(AUTHOR))
    response = publisher.post(url, {"term": "  renal   failure ", "plainer": "kidney failure", "note": ""})
    assert response.status_code == 302
    assert GlossaryTerm.objects.get().term == "renal failure"
    duplicate = publisher.post(url, {"term": "Renal Failure", "plainer": "kidneys stop working", "note": ""})
    assert duplicate.status_code == 200 and "already listed" in duplicate.content.decode()
    assert author.get(url).status_code == 403


def test_the_review_queue_sorts_by_stored_reading_age(client, django_assert_max_num_queries):
    today = timezone.localdate()
    reviewer = make_user()
    due = {"reviewed_by": reviewer, "last_reviewed": today - timedelta(days=900)}
    easy = make_article(title="Easy", body=PLAIN, next_review_due=today - timedelta(days=9), **due)
    hard = make_article(title="Hard", body=HARD, next_review_due=today - timedelta(days=1), **due)
    assert [row.title for row in review_queue(today) if row.title in {"Easy", "Hard"}] == ["Easy", "Hard"]
    rows = [row for row in review_queue(today, sort="reading-age") if row.title in {"Easy", "Hard"}]
    assert [row.title for row in rows] == ["Hard", "Easy"]
    assert rows[0].reading_age > 11 and rows[1].reading_age is not None
    # Read with the rows: per content type one query for the rows and one for long-broken references.
    with django_assert_max_num_queries(2 * len(publishable_models())):
        review_queue(today, sort="reading-age")
    easy.status = hard.status = "in_review"
    easy.save()
    hard.save()
    assert [row.title for row in waiting_for_review(sort="reading-age")] == ["Hard", "Easy"]
    client.force_login(make_role_user(PUBLISHER))
    html = client.get(reverse("review-queue") + "?sort=reading-age").content.decode()
    assert '<strong aria-current="true">reading age, hardest first</strong>' in html
    assert html.index(">Hard<") < html.index(">Easy<")
    assert client.get(reverse("review-queue") + "?sort=%00nonsense").status_code == 200
