"""The review queue's note on imported clinical text that nobody here has signed off."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from articles.models import Article
from pages.models import Page
from publishing.models import Status
from wordpress.models import ImportedItem
from workflow.queue_flags import FlagRow

FLAG_LIMIT = 200
REASON = "Imported from WordPress, not medically reviewed here"


def imported_without_review() -> list[FlagRow]:
    """Imported articles and pages with no medical review record here (one query per type, at most FLAG_LIMIT)."""
    rows = []
    for model in (Article, Page):
        opts = model._meta
        imported = ImportedItem.objects.filter(content_type=ContentType.objects.get_for_model(model)).values(
            "object_id"
        )
        pages = (
            model._default_manager.filter(pk__in=imported, last_reviewed__isnull=True)
            .exclude(status=Status.UNPUBLISHED)
            .order_by("pk")
            .only("pk", "title", "status", "published_at", "expires_at")[:FLAG_LIMIT]
        )
        for page in pages:
            state = "public now" if page.is_public else page.state_label.lower()
            rows.append(
                FlagRow(
                    kind=opts.verbose_name.capitalize(),
                    title=page.title,
                    reason=f"{REASON} ({state}).",
                    admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk]),
                )
            )
    return rows
