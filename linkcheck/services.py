"""Collect the site's links, check them, and keep what was found."""

from django.db import transaction
from django.utils import timezone

from linkcheck.checker import Limits, Result, check_urls
from linkcheck.collect import collect_uses
from linkcheck.models import LinkCheck, LinkState, LinkUse


@transaction.atomic
def refresh_uses() -> list[str]:
    """Record which pages use which address now; forget addresses no page uses. Answers the addresses."""
    uses = collect_uses()
    urls = list(dict.fromkeys(use.url for use in uses))
    existing = set(LinkCheck.objects.filter(url__in=urls).values_list("url", flat=True))
    LinkCheck.objects.bulk_create([LinkCheck(url=url) for url in urls if url not in existing])
    ids = dict(LinkCheck.objects.filter(url__in=urls).values_list("url", "pk"))
    LinkUse.objects.all().delete()
    LinkUse.objects.bulk_create(
        [
            LinkUse(
                link_id=ids[use.url],
                content_type_id=use.content_type_id,
                object_id=use.object_id,
                where=use.where,
                reference_id=use.reference_id,
                page_title=use.page_title[:300],
            )
            for use in dict.fromkeys(uses)
        ]
    )
    LinkCheck.objects.exclude(pk__in=ids.values()).delete()
    return urls


def record(results: dict[str, Result]) -> None:
    now = timezone.now()
    for link in LinkCheck.objects.filter(url__in=list(results)):
        result = results[link.url]
        link.last_checked_at = now
        link.status_code, link.final_url, link.error = result.status_code, result.final_url[:2000], result.error[:300]
        if result.blocked:
            link.state = LinkState.BLOCKED
        elif result.ok:
            link.state, link.first_broken_at = LinkState.OK, None
        else:
            link.state = LinkState.BROKEN
            link.first_broken_at = link.first_broken_at or now
        link.save()


def run_link_check(*, limits: Limits | None = None, session=None) -> dict[str, int]:
    """Check every address the pages use; answers how many ended in each state."""
    urls = refresh_uses()
    record(check_urls(urls, limits=limits, session=session))
    counts = {state: 0 for state in LinkState.values}
    for state in LinkCheck.objects.values_list("state", flat=True):
        counts[state] += 1
    return counts
