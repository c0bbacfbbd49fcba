"""What the link checker found, as the review queue and the review form need it."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from linkcheck.collect import reference_relations
from linkcheck.models import LinkState, LinkUse

DEFAULT_BROKEN_DAYS = 14
DEFAULT_REFERENCE_MAX_AGE_YEARS = 5
BROKEN_LIMIT = 500


def broken_days() -> int:
    return getattr(settings, "LINKCHECK_BROKEN_DAYS", DEFAULT_BROKEN_DAYS)


def reference_max_age_years() -> int:
    return getattr(settings, "REFERENCE_MAX_AGE_YEARS", DEFAULT_REFERENCE_MAX_AGE_YEARS)


@dataclass(frozen=True)
class BrokenUse:
    page_title: str
    kind: str
    admin_url: str
    url: str
    where: str
    error: str
    broken_since: datetime.datetime | None
    long_broken: bool  # a reference broken for longer than LINKCHECK_BROKEN_DAYS: its page needs review


def _admin_url(content_type: ContentType, object_id: int) -> str:
    return reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[object_id])


def broken_uses(limit: int = BROKEN_LIMIT) -> list[BrokenUse]:
    """Every page's use of a broken address, longest broken first (one query)."""
    cutoff = timezone.now() - datetime.timedelta(days=broken_days())
    uses = (
        LinkUse.objects.filter(link__state=LinkState.BROKEN)
        .select_related("link", "content_type")
        .order_by("link__first_broken_at", "page_title", "pk")[:limit]
    )
    return [
        BrokenUse(
            page_title=use.page_title,
            kind=use.content_type.name.capitalize(),
            admin_url=_admin_url(use.content_type, use.object_id),
            url=use.link.url,
            where=use.get_where_display(),
            error=use.link.error,
            broken_since=use.link.first_broken_at,
            long_broken=use.where == LinkUse.Where.REFERENCE
            and use.link.first_broken_at is not None
            and use.link.first_broken_at <= cutoff,
        )
        for use in uses
    ]


def pages_with_long_broken_references(model) -> dict[int, datetime.datetime]:
    """``{page id: broken since}`` for pages of ``model`` citing an address broken longer than the setting."""
    cutoff = timezone.now() - datetime.timedelta(days=broken_days())
    rows = LinkUse.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        where=LinkUse.Where.REFERENCE,
        link__state=LinkState.BROKEN,
        link__first_broken_at__lte=cutoff,
    ).values_list("object_id", "link__first_broken_at")
    found: dict[int, datetime.datetime] = {}
    for object_id, since in rows:
        found[object_id] = min(since, found.get(object_id, since))
    return found


@dataclass(frozen=True)
class ReferenceProblem:
    number: int
    title: str
    url: str
    problems: tuple[str, ...]


def reference_problems(obj) -> list[ReferenceProblem]:
    """The page's references that a reviewer should look at again: broken per the link checker, or old."""
    oldest_year = timezone.localdate().year - reference_max_age_years()
    references = [
        ref for relation in reference_relations(type(obj)) for ref in getattr(obj, relation.get_accessor_name()).all()
    ]
    states = {
        use.reference_id: use.link
        for use in LinkUse.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            where=LinkUse.Where.REFERENCE,
            link__state=LinkState.BROKEN,
        ).select_related("link")
    }
    found = []
    for number, ref in enumerate(references, start=1):
        problems = []
        link = states.get(ref.pk)
        if link is not None and link.url == ref.url:
            since = f" since {link.first_broken_at:%-d %b %Y}" if link.first_broken_at else ""
            problems.append(f"link broken{since} ({link.error or 'no answer'})")
        if ref.year is not None and ref.year < oldest_year:
            problems.append(f"published {ref.year}: older than {reference_max_age_years()} years")
        if problems:
            found.append(ReferenceProblem(number, ref.title, ref.url, tuple(problems)))
    return found
