"""The admin door: a second factor for publishers and superusers, and sessions that end when left idle."""

import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from security.admin_paths import is_admin_path
from security.second_factor import has_confirmed_device, needs_second_factor

# The session key holding when activity last pushed the session's end back, and how often that is written.
ACTIVITY_KEY = "_last_activity"
REFRESH_EVERY_SECONDS = 60
# Pages an unverified publisher must still reach: to sign in with the second factor, set one up, or leave.
OPEN_PAGES = ("two_factor:login", "two_factor:setup", "two_factor:qr", "two_factor:setup_complete", "admin:logout")


class SecondFactorRequiredMiddleware:
    """With ``REQUIRE_TWO_FACTOR`` on, an admin page asks an unverified publisher or superuser for a second factor.

    Someone with no authenticator yet is sent to set one up (and brought back afterwards); someone who has one but
    signed in without it is sent to sign in again with it. The sign-in, set-up and sign-out pages stay reachable.
    Runs after ``django_otp.middleware.OTPMiddleware``, which tells whether this session used a second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_TWO_FACTOR and self._must_verify(request):
            return self._ask_for_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        if not is_admin_path(request.path):
            return False
        if request.path in {reverse(name) for name in OPEN_PAGES}:
            return False
        user = request.user
        return needs_second_factor(user) and not user.is_verified()

    @staticmethod
    def _ask_for_second_factor(request):
        if has_confirmed_device(request.user):
            return redirect_to_login(request.get_full_path(), reverse("two_factor:login"))
        # two_factor's "set-up complete" page forwards to this address.
        request.session["next"] = request.get_full_path()
        return redirect("two_factor:setup")


class IdleSessionMiddleware:
    """A signed-in session ends ``SESSION_COOKIE_AGE`` after its last request, not after its sign-in.

    Each request pushes the end back by saving the session, at most once a minute: Django's
    ``SESSION_SAVE_EVERY_REQUEST`` would write the session row on every admin request. Readers carry no session
    cookie and are skipped before the session is touched. Sits below SessionMiddleware, which saves what this marks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated and self._due(request):
            mark_active(request.session)
        return response

    @staticmethod
    def _due(request) -> bool:
        return time.time() - request.session.get(ACTIVITY_KEY, 0) >= REFRESH_EVERY_SECONDS


def mark_active(session) -> None:
    """Record activity now; changing the session makes SessionMiddleware save it with a fresh expiry."""
    session[ACTIVITY_KEY] = int(time.time())
