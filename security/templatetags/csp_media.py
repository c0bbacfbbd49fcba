from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Render form media with this response's CSP nonce, for the inline import map of django-prose-editor.

    js_asset puts the nonce on every tag it renders; the policy only lets it matter for scripts, and only in the
    admin (security.csp). Rendering asks django-csp for the nonce, which then goes into the response's header.
    """
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return Media.from_media(media).with_nonce(str(nonce)).render()
