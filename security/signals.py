from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from security.middleware import mark_active


@receiver(user_logged_in)
def start_activity_clock(sender, request, user, **kwargs):
    # Signing in saves the session anyway; recording activity now spares the first request a second write.
    if request is not None and hasattr(request, "session"):
        mark_active(request.session)
