from django import template

from pages.navigation import Navigation, site_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context) -> Navigation:
    """``{% navigation as site_nav %}``: the header and footer links (base.html asks once per page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return site_navigation(store=not (user is not None and user.is_authenticated))
