"""The admin door: sign-in lockout, a second factor for publishers and superusers, idle sessions, no reader cookies."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.load_demo import DEMO_EDITOR, DEMO_ROLE_ACCOUNTS
from tests.factories import make_article, make_role_user, make_staff, make_user
from tests.settings_process import GOOD_KEY, run_settings, shown
from workflow.roles import AUTHOR, MEDICAL_REVIEWER, PUBLISHER

LOGIN_URL = reverse("two_factor:login")
SETUP_URL = reverse("two_factor:setup")
ADMIN_URL = reverse("admin:index")
PASSWORD = "a-long-test-password"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sign_in(client, username, password=PASSWORD, address="10.0.0.1", **headers):
    """The first step of the admin's sign-in form, as a browser posts it."""
    return client.post(
        f"{LOGIN_URL}?next={ADMIN_URL}",
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def enter_token(client, token, address="10.0.0.1"):
    return client.post(
        f"{LOGIN_URL}?next={ADMIN_URL}",
        {"login_view-current_step": "token", "token-otp_token": token},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def current_token(key: bytes) -> str:
    return f"{totp(key):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)  # two_factor asks for "default"


@pytest.fixture
def lockout(settings):
    """django-axes as in production (the test settings turn it off for client.login)."""
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def second_factor_required(db, settings):
    settings.REQUIRE_TWO_FACTOR = True


# Lockout after repeated failures


def test_wrong_passwords_below_the_limit_only_say_the_password_is_wrong(db, lockout):
    user = make_staff()
    for _ in range(lockout.AXES_FAILURE_LIMIT - 1):
        response = sign_in(Client(), user.username, "wrong-password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    assert sign_in(client := Client(), user.username).status_code == 302
    assert signed_in(client)


def test_an_account_is_locked_after_repeated_failures_from_any_address(db, lockout):
    user = make_staff()
    for attempt in range(lockout.AXES_FAILURE_LIMIT):
        sign_in(Client(), user.username, "wrong-password", address=f"10.0.1.{attempt}")

    client = Client()
    response = sign_in(client, user.username, address="10.0.2.1")  # right password, fresh address

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "Too many failed sign-in attempts for this account or from this address" in page
    assert "paused for 15 minutes" in page
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_an_address_is_locked_after_failures_across_accounts(db, lockout):
    user = make_staff()
    for attempt in range(lockout.AXES_FAILURE_LIMIT):
        sign_in(Client(), f"guess-{attempt}", "wrong-password", address="10.0.3.3")

    locked = Client()
    assert sign_in(locked, user.username, address="10.0.3.3").status_code == 429
    assert not signed_in(locked)
    elsewhere = Client()
    assert sign_in(elsewhere, user.username, address="10.0.4.4").status_code == 302
    assert signed_in(elsewhere)


def test_the_lockout_ends_by_itself_after_the_cool_off(db, lockout):
    user = make_staff()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(lockout.AXES_FAILURE_LIMIT):
            sign_in(Client(), user.username, "wrong-password")

        traveller.shift(timedelta(minutes=14))
        assert sign_in(Client(), user.username).status_code == 429

        traveller.shift(timedelta(minutes=2))
        client = Client()
        assert sign_in(client, user.username).status_code == 302
        assert signed_in(client)


def test_trying_again_during_the_lockout_does_not_extend_it(db, lockout):
    user = make_staff()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(lockout.AXES_FAILURE_LIMIT):
            sign_in(Client(), user.username, "wrong-password")
        traveller.shift(timedelta(minutes=10))
        assert sign_in(Client(), user.username, "wrong-password").status_code == 429
        traveller.shift(timedelta(minutes=6))
        assert sign_in(Client(), user.username).status_code == 302


def test_a_successful_sign_in_resets_the_count(db, lockout):
    user = make_staff()
    for _ in range(lockout.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), user.username, "wrong-password")
    assert sign_in(Client(), user.username).status_code == 302

    for _ in range(lockout.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), user.username, "wrong-password")
    client = Client()
    assert sign_in(client, user.username).status_code == 302
    assert signed_in(client)


def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_address(db, lockout):
    lockout.TRUST_X_FORWARDED_FOR = True
    user = make_staff()
    proxy = "127.0.0.1"
    for attempt in range(lockout.AXES_FAILURE_LIMIT):
        sign_in(Client(), f"guess-{attempt}", "x", address=proxy, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9")
    # Another client behind the same proxy is not locked out by those failures...
    assert sign_in(Client(), user.username, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    # ...while the address that failed is, whatever it puts before the proxy's own entry.
    response = sign_in(Client(), user.username, address=proxy, HTTP_X_FORWARDED_FOR="another-lie, 203.0.113.9")
    assert response.status_code == 429


def test_a_sign_in_post_with_missing_fields_is_a_form_error(db, lockout):
    response = Client().post(LOGIN_URL, {"login_view-current_step": "auth"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_the_admin_login_address_leads_to_the_two_factor_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/articles/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/admin/articles/"


# A second factor for publishers and superusers


def make_superuser():
    return make_user(is_staff=True, is_superuser=True)


@pytest.mark.parametrize("make", [lambda: make_role_user(PUBLISHER), make_superuser], ids=["publisher", "superuser"])
def test_without_an_authenticator_publishers_and_superusers_go_to_set_one_up(client, second_factor_required, make):
    client.force_login(make())
    for url in (ADMIN_URL, reverse("admin:articles_article_changelist"), reverse("review-queue")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SETUP_URL
    assert client.get(SETUP_URL).status_code == 200


@pytest.mark.parametrize("role", [AUTHOR, MEDICAL_REVIEWER])
def test_authors_and_reviewers_need_no_second_factor(client, second_factor_required, role):
    client.force_login(make_role_user(role))
    assert client.get(ADMIN_URL).status_code == 200
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_with_the_setting_off_a_publisher_uses_the_admin_with_a_password_only(db, client):
    client.force_login(make_role_user(PUBLISHER))
    assert client.get(ADMIN_URL).status_code == 200


def test_a_publisher_who_has_an_authenticator_but_did_not_use_it_is_asked_to_sign_in_again(
    client, second_factor_required
):
    publisher = make_role_user(PUBLISHER)
    confirmed_device(publisher)
    client.force_login(publisher)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/admin/articles/article/"


def test_a_publisher_signs_in_with_password_and_token(db, second_factor_required):
    publisher = make_role_user(PUBLISHER)
    device = confirmed_device(publisher)
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        response = sign_in(client, publisher.username)
        assert response.status_code == 200  # the token step
        assert not signed_in(client)
        wrong = "000000" if current_token(device.bin_key) != "000000" else "111111"
        assert "Invalid token" in enter_token(client, wrong).content.decode()
        assert not signed_in(client)

        traveller.shift(timedelta(seconds=5))  # django-otp makes each wrong token wait longer for the next try
        response = enter_token(client, current_token(device.bin_key))
        assert response.status_code == 302
        assert response["Location"] == ADMIN_URL
        assert client.get(ADMIN_URL).status_code == 200
        assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_a_publisher_sets_up_an_authenticator_and_is_taken_back_to_the_admin(client, second_factor_required):
    publisher = make_role_user(PUBLISHER)
    client.force_login(publisher)
    wanted = reverse("admin:articles_article_changelist")
    assert client.get(wanted)["Location"] == SETUP_URL

    page = client.post(SETUP_URL, {"setup_view-current_step": "welcome"})
    assert page.context["wizard"]["steps"].current == "generator"
    key = base64.b32decode(page.context["secret_key"])
    assert client.get(reverse("two_factor:qr"))["Content-Type"].startswith("image/svg")

    response = client.post(
        SETUP_URL, {"setup_view-current_step": "generator", "generator-token": current_token(key)}, follow=True
    )
    assert response.redirect_chain[-1][0] == wanted
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=publisher, confirmed=True).count() == 1
    assert client.get(ADMIN_URL).status_code == 200


def test_a_wrong_token_at_set_up_adds_no_device(client, second_factor_required):
    publisher = make_role_user(PUBLISHER)
    client.force_login(publisher)
    client.post(SETUP_URL, {"setup_view-current_step": "welcome"})
    response = client.post(SETUP_URL, {"setup_view-current_step": "generator", "generator-token": "12"})
    assert response.status_code == 200
    assert "Entered token is not valid" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=publisher).exists()
    assert client.get(ADMIN_URL)["Location"] == SETUP_URL


def test_demo_accounts_sign_in_with_their_password_alone(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=None)
    for account in [DEMO_EDITOR, *DEMO_ROLE_ACCOUNTS]:
        client = Client()
        response = sign_in(client, account["username"], account["password"])
        assert response.status_code == 302, account["username"]
        assert client.get(ADMIN_URL).status_code == 200


def test_production_requires_a_second_factor_and_other_settings_do_not(settings):
    assert shown(run_settings({"SECRET_KEY": GOOD_KEY}, show="settings.REQUIRE_TWO_FACTOR")) is True
    assert settings.REQUIRE_TWO_FACTOR is False  # the test settings, like base and dev


# Sessions and cookies


def test_a_staff_session_ends_after_thirty_idle_minutes(db):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(make_staff())
        assert client.get(ADMIN_URL).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(ADMIN_URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_activity_keeps_a_staff_session_alive(db):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(make_staff())
        for _ in range(3):
            traveller.shift(timedelta(minutes=20))
            assert client.get(ADMIN_URL).status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get(ADMIN_URL).status_code == 302


def test_the_session_cookie_is_http_only_and_same_site_lax(db):
    user = make_staff()
    client = Client()
    response = sign_in(client, user.username)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 60


@pytest.mark.parametrize("cached", [False, True])
def test_reader_pages_set_no_cookie(db, client, settings, commit, cached):
    from publishing.safe_cache import reset_breaker

    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    reset_breaker()
    with commit():  # the search index is written once the save commits
        article = make_article(tags=["Azathioprine"])
    urls = ["/", article.get_absolute_url(), article.category.get_absolute_url(), "/tag/azathioprine/", "/drugs/"]
    for url in urls + ["/search/?q=azathioprine", "/interactions/"]:
        for _ in range(2):  # the second visit is a cache hit when the page cache is on
            response = client.get(url)
            assert response.status_code == 200, url
            assert not response.cookies, url
            assert not response.has_header("Set-Cookie"), url
    assert not client.cookies
    # The results page was checked with a result on it.
    assert article.get_absolute_url() in client.get("/search/?q=azathioprine").content.decode()


def test_staff_passwords_must_be_at_least_twelve_characters(db):
    user = make_staff()
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7#pLm2!zR", user)  # 11 characters
    validate_password("Xq7#pLm2!zRw", user)
