"""The page django-axes shows when sign-in is paused (``AXES_LOCKOUT_CALLABLE``)."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Say why sign-in is refused and for how long; ``Retry-After`` says the same to software."""
    seconds = int(get_cool_off(request).total_seconds())
    response = render(
        request,
        "security/lockout.html",
        {"minutes": math.ceil(seconds / 60)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(seconds)
    return response
