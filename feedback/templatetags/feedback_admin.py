"""``{% feedback_summary original %}`` on a page's admin change form: what readers said about it.

Included from the project's admin change form template, so no content type's
admin imports the feedback app.
"""

from django import template

from feedback.admin import may_read_feedback
from feedback.selectors import page_summary
from publishing.registry import is_publishable

register = template.Library()


@register.inclusion_tag("feedback/admin_summary.html", takes_context=True)
def feedback_summary(context, page):
    request = context.get("request")
    if page is None or page.pk is None or not is_publishable(type(page)) or request is None:
        return {"summary": None}
    if not may_read_feedback(request.user):
        return {"summary": None}
    summary = page_summary(page)
    peak = max([week.yes + week.no for week in summary.weeks] + [1])
    return {"summary": summary, "peak": peak}
