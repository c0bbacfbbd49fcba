"""Every medical sign-off says the evidence was checked again, and shows the reviewer what to look at."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from articles.models import Reference
from publishing.models import Status
from tests.admin_helpers import admin_url, changelist_url, form_data, messages_of, post_action
from tests.factories import make_article, make_reviewer
from workflow.models import Transition, TransitionKind
from workflow.services import content_mark_reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return make_reviewer()


@pytest.fixture
def in_review():
    article = make_article(status=Status.IN_REVIEW, title="Azathioprine and pregnancy")
    Reference.objects.create(article=article, title="An old leaflet", year=2009, position=0)
    Reference.objects.create(article=article, title="A current label", year=2025, position=1)
    return article


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_service_refuses_a_sign_off_without_the_references_confirmed(in_review, reviewer):
    with pytest.raises(ValidationError, match="re-checked the page's references"):
        content_mark_reviewed(obj=in_review, by=reviewer, references_checked=False)
    in_review.refresh_from_db()
    assert in_review.reviewed_by is None


def test_the_button_needs_the_box_ticked_and_the_log_keeps_it(in_review, reviewer):
    client = signed_in(reviewer)
    url = admin_url(in_review, "change")
    refused = client.post(url, {**form_data(client, url), "_workflow": "mark_reviewed"})
    assert refused.status_code == 200 and "re-checked the page" in refused.content.decode()
    in_review.refresh_from_db()
    assert in_review.reviewed_by is None
    done = client.post(url, {**form_data(client, url), "_workflow": "mark_reviewed", "references_checked": "on"})
    assert done.status_code == 302
    in_review.refresh_from_db()
    assert in_review.reviewed_by == reviewer
    review = Transition.objects.get(object_id=in_review.pk, kind=TransitionKind.REVIEW)
    assert review.references_checked is True


def test_the_review_form_lists_the_references_to_look_at(in_review, reviewer):
    html = signed_in(reviewer).get(admin_url(in_review, "change")).content.decode()
    assert 'id="reference-problems"' in html
    assert "An old leaflet: published 2009" in html
    assert "A current label" not in html.split('id="reference-problems"', 1)[1].split("</div>", 1)[0]


def test_the_bulk_sign_off_asks_first_and_lists_the_problems(in_review, reviewer):
    client = signed_in(reviewer)
    asked = client.post(changelist_url(in_review), {"action": "mark_reviewed", "_selected_action": [in_review.pk]})
    assert asked.status_code == 200
    assert "An old leaflet" in asked.content.decode() and 'name="references_checked"' in asked.content.decode()
    in_review.refresh_from_db()
    assert in_review.reviewed_by is None
    done = post_action(client, "mark_reviewed", [in_review], references_checked="yes")
    assert messages_of(done) == ["1 marked medically reviewed."]
    in_review.refresh_from_db()
    assert in_review.reviewed_by == reviewer
