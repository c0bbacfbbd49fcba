"""Reader feedback: "Was this page helpful?" on every article and drug page, kept with no cookie and no account.

Abuse limits (rate per address, size, honeypot, signed page token, one answer per token and address), the
form in a cached page, the editors' summary and list, and the review queue flag.
"""

import datetime
import re
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.utils import timezone

from feedback.models import Feedback
from feedback.tokens import SALT, page_token
from publishing.models import Status
from tests.factories import make_article, make_published_drug, make_reviewer, make_role_user, make_user

pytestmark = pytest.mark.django_db

URL = "/feedback/"


def token_in(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def answer(client, token, helpful="yes", *, comment="", address="203.0.113.5", json=True, **extra):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    data = {"token": token, "helpful": helpful, "comment": comment, "website": "", **extra}
    return client.post(URL, data, REMOTE_ADDR=address, **headers)


@pytest.fixture
def article():
    return make_article(title="Azathioprine and live vaccines")


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.FEEDBACK_RATE_LIMIT = "1000/3600"


def test_article_and_drug_pages_carry_the_form_without_cookie_or_csrf_token(client, article):
    drug = make_published_drug(generic_name="azathioprine")
    for url in (article.get_absolute_url(), drug.get_absolute_url()):
        response = client.get(url)
        html = response.content.decode()
        assert 'action="/feedback/"' in html, url
        assert "csrfmiddlewaretoken" not in html
        assert not response.cookies
        assert 'name="website"' in html  # the honeypot
        # Its script is a static file, outside the main content (no inline script; nothing scripted in <main>).
        assert html.index('<script src="/static/feedback/feedback.js" defer></script>') > html.index("</main>")


def test_an_answer_is_kept_for_its_page_without_the_address(client, article):
    token = token_in(client.get(article.get_absolute_url()).content.decode())
    response = answer(client, token, "no", comment="  Does not say how long to wait after a vaccine.  ")
    assert response.status_code == 201
    assert response.json() == {"detail": "Thank you for your feedback."}
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    kept = Feedback.objects.get()
    assert kept.page == article
    assert kept.helpful is False
    assert kept.comment == "Does not say how long to wait after a vaccine."
    assert "203.0.113.5" not in kept.voter and len(kept.voter) == 64


def test_without_javascript_the_answer_redirects_back_with_a_thank_you(client, article):
    token = token_in(client.get(article.get_absolute_url()).content.decode())
    response = answer(client, token, "yes", json=False)
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?feedback=thanks#feedback"
    thanked = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback." in thanked
    assert 'action="/feedback/"' not in thanked


def test_one_answer_per_token_and_address(client, article):
    token = page_token(article)
    assert answer(client, token, "yes").status_code == 201
    replay = answer(client, token, "no")
    assert replay.status_code == 400
    assert "already answered" in replay.json()["detail"]
    assert answer(client, token, "no", address="198.51.100.7").status_code == 201
    assert Feedback.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"token": "articles.article/1:forged:sig"}, "did not come from one of our pages"),
        ({"helpful": "maybe"}, "Select a valid choice"),
        ({"helpful": ""}, "Choose Yes or No"),
        ({"comment": "x" * 501}, "at most 500 characters"),
        ({"website": "http://spam.example"}, "not accepted"),
    ],
    ids=["forged-token", "bad-answer", "no-answer", "long-comment", "honeypot"],
)
def test_bad_answers_get_a_clear_400_and_nothing_is_kept(client, article, change, message):
    data = {"token": page_token(article), "helpful": "yes", "comment": "", "website": "", **change}
    response = client.post(URL, data, HTTP_ACCEPT="application/json", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Feedback.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(client, article):
    response = client.post(
        URL, {"token": page_token(article), "helpful": "yes", "comment": "y" * 5000}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "too long" in response.json()["detail"]
    assert not Feedback.objects.exists()


def test_an_expired_token_is_refused(client, article, settings):
    settings.FEEDBACK_TOKEN_MAX_AGE = 60
    old = signing.TimestampSigner(salt=SALT)
    old.timestamp = lambda: signing.b62_encode(int(time.time()) - 120)
    response = answer(client, old.sign(f"articles.article/{article.pk}"))
    assert response.status_code == 400
    assert "out of date" in response.json()["detail"]


def test_a_token_for_a_page_readers_cannot_see_is_refused(client):
    draft = make_article(status=Status.DRAFT)
    response = answer(client, page_token(draft))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_a_token_naming_a_model_that_is_not_a_page_is_refused(client):
    user = make_user()
    forged = signing.TimestampSigner(salt=SALT).sign(f"auth.user/{user.pk}")
    assert answer(client, forged).status_code == 400


def test_errors_without_javascript_are_a_page_with_a_way_back(client, article):
    response = answer(client, page_token(article), "maybe", json=False)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert f'href="{article.get_absolute_url()}"' in html


def test_answers_are_rate_limited_per_address(client, article, settings):
    settings.FEEDBACK_RATE_LIMIT = "3/3600"
    others = [make_article() for _ in range(4)]
    statuses = [answer(client, page_token(page)).status_code for page in others]
    assert statuses == [201, 201, 201, 429]
    limited = answer(client, page_token(article))
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "Too many answers" in limited.json()["detail"]
    assert answer(client, page_token(article), address="198.51.100.7").status_code == 201


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_the_form_works_on_a_cached_page(client, article, page_cache):
    url = article.get_absolute_url()
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    token = token_in(cached.content.decode())
    assert answer(client, token, "no").status_code == 201
    assert answer(client, token, "no", address="198.51.100.9").status_code == 201
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit", "an answer must not expire the cached page"
    assert Feedback.objects.filter(object_id=article.pk).count() == 2


def add_answers(page, yes: int, no: int, *, days_ago: int = 1, comment: str = ""):
    content_type = ContentType.objects.get_for_model(page)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Feedback.objects.bulk_create(
        Feedback(
            content_type=content_type,
            object_id=page.pk,
            helpful=k < yes,
            comment=comment,
            created_at=when,
            voter=f"{page._meta.label_lower}-{page.pk}-{days_ago}-{k}",
        )
        for k in range(yes + no)
    )


def test_editors_see_counts_trend_and_comments_on_the_change_form(client, article):
    add_answers(article, 3, 1, days_ago=1, comment="Clear, thanks")
    add_answers(article, 0, 2, days_ago=15, comment="Too technical")
    add_answers(make_article(), 5, 5)  # another page's answers are not counted
    client.force_login(make_reviewer())
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    summary = html[html.index('id="feedback-summary"') :]
    assert "50% helpful" in summary and "3 yes, 3 no (6 answers)" in summary
    assert summary.count("<tr><td>") == 8  # eight weeks, empty ones included
    assert "Too technical" in summary and "Clear, thanks" in summary


def test_the_feedback_list_is_read_only_and_publishers_delete_abuse(client, article):
    add_answers(article, 1, 1, comment="Useful")
    client.force_login(make_role_user("Author"))
    response = client.get("/admin/feedback/feedback/")
    assert response.status_code == 200
    assert "Azathioprine and live vaccines" in response.content.decode()
    assert client.get("/admin/feedback/feedback/add/").status_code == 403
    abuse = Feedback.objects.filter(comment="Useful").first()
    assert client.post(f"/admin/feedback/feedback/{abuse.pk}/delete/", {"post": "yes"}).status_code == 403
    client.force_login(make_role_user("Publisher"))
    assert client.post(f"/admin/feedback/feedback/{abuse.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Feedback.objects.filter(pk=abuse.pk).exists()


def test_a_page_with_many_no_answers_is_flagged_in_the_review_queue(client, article, settings):
    settings.FEEDBACK_FLAG_MIN_VOTES = 10
    settings.FEEDBACK_FLAG_NO_SHARE = 0.5
    liked = make_article(title="Well liked page")
    few = make_article(title="Too few answers")
    old = make_article(title="Old complaints")
    add_answers(article, 4, 6)
    add_answers(liked, 6, 4)
    add_answers(few, 0, 9)
    add_answers(old, 0, 12, days_ago=settings.FEEDBACK_FLAG_DAYS + 1)
    client.force_login(make_reviewer())
    html = client.get("/admin/review-queue/").content.decode()
    flagged = html[html.index('id="flagged-pages"') : html.index('id="due-heading"')]
    assert "Azathioprine and live vaccines" in flagged
    assert "6 of 10 answers" in flagged
    for name in ("Well liked page", "Too few answers", "Old complaints"):
        assert name not in flagged


def test_a_token_shorter_lived_than_a_cached_page_is_a_configuration_error(settings):
    from feedback.checks import token_outlives_cached_pages

    assert token_outlives_cached_pages() == []
    settings.FEEDBACK_TOKEN_MAX_AGE = settings.PAGE_CACHE_SECONDS = 600
    assert [error.id for error in token_outlives_cached_pages()] == ["feedback.E001"]


@pytest.mark.parametrize("rate", ["ten an hour", "10/0", "10/60/2"])
def test_an_unreadable_rate_limit_is_a_configuration_error(settings, rate):
    from feedback.checks import rate_limit_is_readable

    assert rate_limit_is_readable() == []
    settings.FEEDBACK_RATE_LIMIT = rate
    assert [error.id for error in rate_limit_is_readable()] == ["feedback.E002"]
