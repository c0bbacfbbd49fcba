"""Settings come from the environment; production refuses to start half-configured.

Each case imports the settings in a fresh interpreter with a clean
environment, since settings are read once per process.
"""

import os
import subprocess
import sys

import pytest

from tests.settings_process import GOOD_KEY, PROJECT_DIR, run_settings, shown


def test_prod_without_secret_key_refuses_to_start():
    result = run_settings({})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_prod_debug_defaults_to_off():
    assert shown(run_settings({"SECRET_KEY": GOOD_KEY}, show="settings.DEBUG")) is False


def test_debug_flag_allows_the_development_key():
    result = run_settings({"DJANGO_DEBUG": "1"}, show="[settings.DEBUG, settings.SECRET_KEY]")
    debug, key = shown(result)
    assert debug is True
    assert key.startswith("dev-only-insecure")


def test_debug_off_with_empty_secret_key_refuses_to_start():
    result = run_settings({"SECRET_KEY": "  ", "DJANGO_DEBUG": "0"}, show="None")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_default_database_is_sqlite():
    engine = shown(run_settings({"SECRET_KEY": GOOD_KEY}, show="settings.DATABASES['default']['ENGINE']"))
    assert engine == "django.db.backends.sqlite3"


def test_database_url_switches_to_postgresql():
    result = run_settings(
        {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://medsite:secret@db.internal:5433/medsite"},
        show="{k: settings.DATABASES['default'][k] for k in ['ENGINE', 'NAME', 'HOST', 'PORT', 'USER']}",
    )
    assert shown(result) == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "medsite",
        "HOST": "db.internal",
        "PORT": 5433,
        "USER": "medsite",
    }


@pytest.mark.parametrize(
    ("flag", "options"),
    [
        ({}, {"server_side_binding": True, "prepare_threshold": 5}),
        ({"DB_PREPARED_STATEMENTS": "0"}, {}),
    ],
    ids=["prepared by default", "off behind a pooling proxy"],
)
def test_postgresql_prepares_repeated_statements_unless_told_not_to(flag, options):
    env = {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://medsite:secret@db.internal:5432/medsite", **flag}
    assert shown(run_settings(env, show="settings.DATABASES['default'].get('OPTIONS', {})")) == options


def test_allowed_hosts_come_from_the_environment():
    result = run_settings(
        {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": " medsite.example.org, www.medsite.example.org ,"},
        show="settings.ALLOWED_HOSTS",
    )
    assert shown(result) == ["medsite.example.org", "www.medsite.example.org"]


@pytest.mark.parametrize("name", ["DJANGO_DEBUG", "SECURE_SSL_REDIRECT", "TRUST_X_FORWARDED_PROTO"])
def test_bad_boolean_is_a_clear_error(name):
    result = run_settings({"SECRET_KEY": GOOD_KEY, name: "maybe"}, show="None")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be one of 1/0, true/false, yes/no, on/off; got 'maybe'" in result.stderr


def test_bad_number_is_a_clear_error():
    result = run_settings({"SECRET_KEY": GOOD_KEY, "SECURE_HSTS_SECONDS": "a year"}, show="None")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_prod_hardens_https_and_cookies():
    result = run_settings(
        {"SECRET_KEY": GOOD_KEY},
        show="[settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS]",
    )
    assert shown(result) == [True, True, True, 31536000]


def test_prod_passes_the_deployment_check():
    env = {
        "DJANGO_SETTINGS_MODULE": "medsite.settings.prod",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "medsite.example.org",
        "PATH": os.environ.get("PATH", ""),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_test_settings_use_a_fast_hasher_and_local_cache(settings):
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.TAGGIT_CASE_INSENSITIVE is True
