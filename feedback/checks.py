from django.conf import settings
from django.core.checks import Error, register


@register()
def token_outlives_cached_pages(app_configs=None, **kwargs):
    """A cached page's form carries the token it was rendered with: it must stay good while the page is served."""
    cached_for = settings.PAGE_CACHE_SECONDS + 2 * settings.PAGE_CACHE_SHARED_SECONDS
    if cached_for >= settings.FEEDBACK_TOKEN_MAX_AGE:
        return [
            Error(
                f"FEEDBACK_TOKEN_MAX_AGE ({settings.FEEDBACK_TOKEN_MAX_AGE} s) must be longer than a page can be "
                f"cached ({cached_for} s), or readers of a cached page would have their answers refused.",
                id="feedback.E001",
            )
        ]
    return []


@register()
def rate_limit_is_readable(app_configs=None, **kwargs):
    from feedback.views import parse_rate

    try:
        parse_rate(settings.FEEDBACK_RATE_LIMIT)
    except ValueError:
        return [
            Error(
                f'FEEDBACK_RATE_LIMIT must look like "10/3600" (answers/seconds, each at least 1), '
                f"not {settings.FEEDBACK_RATE_LIMIT!r}.",
                id="feedback.E002",
            )
        ]
    return []
