"""Our names for the packages' apps, as the admin's sidebar and index show them ("Tags", not "Taggit").

Only the names change: labels, models, tables and migrations stay the
packages' own. They are set when the apps are ready rather than through
AppConfig subclasses in ``INSTALLED_APPS``, because some packages look for
each other by the plain names there (django-autocomplete-light offers its
taggit widget only when ``"taggit"`` is listed).
"""

from django.apps import apps

APP_NAMES = {
    "auth": "Users and roles",
    "taggit": "Tags",
    "reversion": "Revision history",
    "otp_static": "Two-factor backup codes",
    "otp_totp": "Two-factor authenticator apps",
    "two_factor": "Two-factor sign-in",
    "axes": "Sign-in protection",
}


def name_package_apps() -> None:
    """Give each installed package app in ``APP_NAMES`` our name for it."""
    for label, name in APP_NAMES.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
