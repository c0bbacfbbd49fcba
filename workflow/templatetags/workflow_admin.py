"""Template tags for the admin's own pages (the header on every one)."""

from django import template

from workflow import roles

register = template.Library()


@register.simple_tag
def signed_in_as(user) -> dict[str, str]:
    """Who is signed in, as the header shows it: their name and their role ("Medical reviewer")."""
    return {"name": user.get_full_name() or user.get_username(), "role": roles.role_label(user)}
