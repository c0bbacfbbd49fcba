"""The public change log and corrections: dated notes on each clinical page, corrections site-wide and in feeds."""

import datetime

import feedparser
import pytest
from django.test import Client

from changelog.models import ChangeNote
from publishing.models import Status
from tests.admin_helpers import add_row, admin_url, form_data
from tests.factories import make_article, make_published_drug, make_reviewer, make_role_user, sign_off
from workflow.roles import AUTHOR, PUBLISHER

pytestmark = pytest.mark.django_db

PREFIX = "changelog-changenote-content_type-object_id"


def note(page, summary, *, days_ago=0, correction=False):
    return ChangeNote.objects.create(
        page=page,
        summary=summary,
        is_correction=correction,
        date=datetime.date.today() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def article():
    return make_article(title="Azathioprine and vaccines")


@pytest.fixture
def drug():
    return make_published_drug(generic_name="azathioprine")


def test_each_page_lists_its_notes_newest_first_with_corrections_marked(client, article, drug):
    note(article, "Added advice on the shingles vaccine.", days_ago=30)
    fixed = note(article, "Corrected the waiting time after a live vaccine.", days_ago=2, correction=True)
    note(drug, "Updated the advice on live vaccines.", days_ago=5)
    note(make_article(), "A note about another page.")
    html = client.get(article.get_absolute_url()).content.decode()
    log = html[html.index('id="changes"') : html.index("</section>", html.index('id="changes"'))]
    assert log.index("waiting time") < log.index("shingles")
    assert f'id="change-{fixed.pk}"' in log
    assert "<strong>Correction.</strong> Corrected the waiting time" in log
    assert "another page" not in log and "live vaccines" not in log
    drug_html = client.get(drug.get_absolute_url()).content.decode()
    assert "Updated the advice on live vaccines." in drug_html
    assert "Changes to this page" in drug_html


def test_a_page_without_notes_has_no_change_log(client, article):
    assert 'id="changes"' not in client.get(article.get_absolute_url()).content.decode()


def test_the_corrections_page_lists_corrections_on_public_pages_only(client, article, drug):
    note(article, "Corrected the dose for children.", correction=True, days_ago=3)
    note(drug, "Corrected the brand names.", correction=True, days_ago=1)
    note(article, "Reworded the introduction.")  # not a correction
    draft = make_article(status=Status.DRAFT, title="Draft page")
    note(draft, "Corrected something unpublished.", correction=True)
    response = client.get("/corrections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Corrected the brand names.") < html.index("Corrected the dose for children.")
    assert f'href="{drug.get_absolute_url()}#change-' in html
    assert "Reworded" not in html and "unpublished" not in html and "Draft page" not in html


@pytest.mark.parametrize("url", ["/feeds/corrections/", "/feeds/corrections/atom/"])
def test_the_corrections_feed_is_well_formed_and_lists_public_corrections(client, article, url):
    fixed = note(article, "Corrected the dose <for> children & teens.", correction=True)
    note(article, "Reworded the introduction.")
    note(make_article(status=Status.DRAFT), "Corrected a draft.", correction=True)
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.endswith("corrections")
    assert [entry.title for entry in feed.entries] == ["Correction: Azathioprine and vaccines"]
    entry = feed.entries[0]
    assert entry.link.endswith(f"{article.get_absolute_url()}#change-{fixed.pk}")
    assert entry.summary == "Corrected the dose &lt;for&gt; children &amp; teens."  # HTML showing the text as written


def test_pages_and_feeds_link_to_the_corrections_feed(client, article):
    note(article, "Corrected the dose.", correction=True)
    html = client.get("/corrections/").content.decode()
    assert 'href="/feeds/corrections/"' in html and 'href="/feeds/corrections/atom/"' in html
    assert 'href="/corrections/"' in client.get(article.get_absolute_url()).content.decode()


def test_a_new_note_expires_the_cached_page(client, article, page_cache, commit):
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    client.get("/corrections/")
    assert client.get("/corrections/")["X-Page-Cache"] == "hit"
    with commit(run_tasks=False):  # the note is saved in a transaction of its own, as from the admin
        note(article, "Corrected the dose.", correction=True)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Corrected the dose." in response.content.decode()
    assert "Corrected the dose." in client.get("/corrections/").content.decode()


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_author_adds_a_note_to_a_draft_in_the_article_form():
    author = make_role_user(AUTHOR)
    draft = make_article(status=Status.DRAFT, author=author)
    client = as_user(author)
    url = admin_url(draft, "change")
    data = form_data(client, url)
    add_row(data, PREFIX, date="2026-11-02", summary="Updated the advice on live vaccines.", is_correction="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    kept = ChangeNote.objects.get()
    assert kept.page == draft and kept.is_correction and kept.date == datetime.date(2026, 11, 2)


def test_a_note_on_a_live_page_waits_with_the_change_and_is_published_with_it():
    author = make_role_user(AUTHOR)
    live = make_article(author=author, title="Imuran")
    sign_off(live, make_reviewer())
    publisher = as_user(make_role_user(PUBLISHER))
    url = admin_url(live, "change")
    data = form_data(publisher, url)
    add_row(data, PREFIX, date="2026-11-02", summary="Corrected the dose.", is_correction="on")
    publisher.post(url, data, follow=True)
    assert not ChangeNote.objects.exists(), "kept with the pending change, not yet public"
    assert "Corrected the dose." not in Client().get(live.get_absolute_url()).content.decode()
    response = publisher.post(url, {**form_data(publisher, url), "_workflow": "publish_changes"}, follow=True)
    assert response.status_code == 200
    assert ChangeNote.objects.filter(object_id=live.pk, summary="Corrected the dose.").exists()
    assert "Corrected the dose." in Client().get(live.get_absolute_url()).content.decode()


def test_the_demo_has_change_notes_and_a_correction_and_loads_them_once(client):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert ChangeNote.objects.count() == 3
    assert ChangeNote.objects.corrections().count() == 1
    html = client.get("/corrections/").content.decode()
    assert "Yellow fever vaccine is a live vaccine" in html
    assert 'href="/articles/imuran-azathioprine/#change-' in html
