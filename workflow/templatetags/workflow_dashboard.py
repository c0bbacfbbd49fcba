"""The editors' dashboard on the admin home page (``{% editorial_dashboard %}`` in templates/admin/index.html)."""

from django import template

from workflow.dashboard import dashboard_panels

register = template.Library()


@register.inclusion_tag("workflow/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    return {"panels": dashboard_panels(context["request"].user)}
