"""The Content Security Policy middleware: the site's strict policy, loosened just enough for the admin."""

from csp.constants import NONCE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

from security.admin_paths import is_admin_path


class AdminNonceCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; on admin pages scripts may also carry this response's nonce, and styles may be inline.

    Reader pages are cached and served to everyone, so a nonce in one would be reused: they never get one, and have
    neither inline script nor inline style. The admin is never cached. Its one inline script is django-prose-editor's
    import map, rendered with the nonce by ``{% media_with_nonce %}`` (security/templatetags/csp_media.py); django-csp
    puts the nonce in the header only when a page used it. Its inline styles come from the editor (which injects a
    style element), select2 and widget attributes: styles cannot run code, and everything in the admin is escaped.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_path(request.path):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), NONCE]
            parts.update = update
            # A hash in style-src would make browsers ignore 'unsafe-inline', so the directive is replaced.
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts
