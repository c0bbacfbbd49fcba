"""The admins Django and the packages register (groups, sign-in log, authenticators), hardened too.

This module is imported by the admin's autodiscovery after those packages'
own ``admin`` modules (``security`` comes after them in INSTALLED_APPS).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.admin_inputs import BoundedSearchMixin, CheckedRelationsMixin


class TOTPDeviceAdmin(BoundedSearchMixin, CheckedRelationsMixin, otp_totp_admin.TOTPDeviceAdmin):
    """django-otp's authenticator admin; its set-up pages answer 404, not a server error, for a missing device."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


def _bound_package_searches():
    replacements = {TOTPDevice: TOTPDeviceAdmin}
    for model in (Group, AccessAttempt, AccessLog, AccessFailureLog, StaticDevice, TOTPDevice):
        if not admin.site.is_registered(model):
            continue
        base = type(admin.site.get_model_admin(model))
        bounded = replacements.get(model) or type(base.__name__, (BoundedSearchMixin, CheckedRelationsMixin, base), {})
        admin.site.unregister(model)
        admin.site.register(model, bounded)


_bound_package_searches()
