"""Pages flagged for an editor's look by apps above the workflow (reader feedback, link checks...).

The review queue lists what every registered provider returns. Providers
register from their app's ``ready()``, so the workflow imports none of them
and a site without, say, reader feedback simply has no such rows.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FlagRow:
    kind: str  # the content type's verbose name, capitalised
    title: str
    reason: str  # a sentence for the editor: why this page is listed
    admin_url: str


_providers: dict[str, Callable[[], list[FlagRow]]] = {}


def register_queue_flags(name: str, provider: Callable[[], list[FlagRow]]) -> None:
    """List ``provider()``'s rows in the review queue (registering a name again replaces it)."""
    _providers[name] = provider


def flagged_pages() -> list[FlagRow]:
    """Every provider's rows, in registration order; each provider bounds its own queries and rows."""
    return [row for provider in _providers.values() for row in provider()]
