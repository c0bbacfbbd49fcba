"""Who must sign in with a second factor before using the admin."""

from django_otp import user_has_device

PUBLISH_PERMISSIONS = ("articles.publish_article", "drugs.publish_drug")


def needs_second_factor(user) -> bool:
    """Superusers and anyone who can publish: their accounts can put anything in front of readers."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or any(user.has_perm(permission) for permission in PUBLISH_PERMISSIONS)


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)
