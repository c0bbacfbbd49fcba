"""Site search as the view uses it: parse the reader's query, search, add drug-name help.

Drug names get two kinds of help, both from the list of published generic,
brand and other names (cached; a few thousand short strings at most):

* a query that is exactly a drug's name ("Imuran", "azathioprine") puts that
  drug's entry first;
* a word close to a drug name but not one ("azathiaprine", "imuraan") offers
  "Did you mean ...?", found with difflib's ratio: deterministic, in-process,
  and fast at this size, so it needs no database extension.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from drugs.models import Drug, DrugName
from publishing.models import Status
from publishing.safe_cache import safe_delete, safe_get, safe_set
from search.backends import MAX_RESULTS, Hit, Query, ResultPage, get_backend
from search.models import Kind, SearchEntry

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
WORD = re.compile(r"\w+")
SUGGEST_MIN_LENGTH = 4
SUGGEST_CUTOFF = 0.8
# Below this many results a query may hold a misspelling worth correcting.
SUGGEST_BELOW_RESULTS = 10
DRUG_NAMES_CACHE_KEY = "search:drug-names:v1"
DRUG_NAMES_CACHE_SECONDS = 600


class QueryError(ValueError):
    """A query the reader must change: the message says how."""


def parse_terms(text: str) -> tuple[str, ...]:
    """Lower-case search words: letters and digits only, so no operator or quote reaches the database."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Search for at most {MAX_QUERY_LENGTH} characters.")
    words = [word.casefold() for word in WORD.findall(text.replace("_", " "))]
    unique = list(dict.fromkeys(words))
    if len(unique) > MAX_TERMS:
        raise QueryError(f"Search for at most {MAX_TERMS} words.")
    return tuple(unique)


def normalise_name(text: str) -> str:
    return " ".join(WORD.findall(text.replace("_", " ").casefold()))


@dataclass(frozen=True)
class DrugNameEntry:
    key: str  # normalised name
    name: str  # as written
    drug_id: int
    generic_name: str
    published_at: object


def drug_names() -> list[DrugNameEntry]:
    """Every name of every published or scheduled drug, sorted; cached until a drug or name changes."""
    names = safe_get(DRUG_NAMES_CACHE_KEY)
    if names is None:
        drugs = Drug.objects.filter(status=Status.PUBLISHED)
        names = [
            DrugNameEntry(normalise_name(generic), generic, pk, generic, published_at)
            for pk, generic, published_at in drugs.values_list("pk", "generic_name", "published_at")
        ]
        names += [
            DrugNameEntry(normalise_name(name), name, drug_id, generic, published_at)
            for name, drug_id, generic, published_at in DrugName.objects.filter(drug__in=drugs).values_list(
                "name", "drug_id", "drug__generic_name", "drug__published_at"
            )
        ]
        names.sort(key=lambda entry: (entry.key, entry.drug_id))
        safe_set(DRUG_NAMES_CACHE_KEY, names, DRUG_NAMES_CACHE_SECONDS)
    now = timezone.now()
    return [entry for entry in names if entry.published_at <= now]


def forget_drug_names() -> None:
    transaction.on_commit(lambda: safe_delete(DRUG_NAMES_CACHE_KEY))


def exact_drug(text: str, names: list[DrugNameEntry]) -> DrugNameEntry | None:
    key = normalise_name(text)
    return next((entry for entry in names if entry.key == key), None) if key else None


@dataclass(frozen=True)
class Suggestion:
    query: str  # the corrected query, to search for
    label: str  # how to show it: "azathioprine", or "Imuran (azathioprine)"


def suggest(terms: tuple[str, ...], names: list[DrugNameEntry]) -> Suggestion | None:
    """The query with each misspelled drug name replaced by the closest real one, if any word was."""
    by_key = {entry.key: entry for entry in names}
    corrected, labels = [], []
    for term in terms:
        match = None
        if len(term) >= SUGGEST_MIN_LENGTH and term not in by_key:
            close = difflib.get_close_matches(term, list(by_key), n=1, cutoff=SUGGEST_CUTOFF)
            match = by_key[close[0]] if close else None
        if match is None:
            corrected.append(term)
            labels.append(term)
        else:
            corrected.append(match.key)
            same = match.name.casefold() == match.generic_name.casefold()
            labels.append(match.generic_name if same else f"{match.name} ({match.generic_name})")
    if list(terms) == corrected:
        return None
    return Suggestion(query=" ".join(corrected), label=" ".join(labels))


@dataclass
class SearchOutcome:
    terms: tuple[str, ...]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more: bool = False
    suggestion: Suggestion | None = None
    pinned: bool = False

    @property
    def max_results(self) -> int:
        return MAX_RESULTS


def search_site(
    *,
    text: str,
    page: int = 1,
    per_page: int = 20,
    kind: str | None = None,
    category_ids: tuple[int, ...] | None = None,
    tag_id: int | None = None,
    tag_content_type_id: int | None = None,
) -> SearchOutcome:
    """One page of ranked results for ``text``, with an exactly named drug first and a spelling suggestion.

    Raises ``QueryError`` for a query the reader must shorten.
    """
    terms = parse_terms(text)
    outcome = SearchOutcome(terms=terms)
    if not terms:
        return outcome
    query = Query(
        terms=terms,
        now=timezone.now(),
        kind=kind,
        category_ids=category_ids,
        tag_id=tag_id,
        tag_content_type_id=tag_content_type_id,
    )
    names = drug_names()
    backend = get_backend()
    pinned = _pinned_entry(text, names, query)
    offset = (page - 1) * per_page
    if pinned is None:
        result = backend.search(query, offset=offset, limit=per_page)
    else:
        result = _search_with_pinned(backend, query, pinned, offset=offset, limit=per_page)
        outcome.pinned = True
    outcome.hits, outcome.total, outcome.more = result.hits, result.total, result.more
    if result.total < SUGGEST_BELOW_RESULTS and pinned is None:
        outcome.suggestion = suggest(terms, names)
    return outcome


def _pinned_entry(text: str, names: list[DrugNameEntry], query: Query) -> int | None:
    """The index row of the drug the query names exactly, when the filters let drugs through."""
    if query.kind == Kind.ARTICLE or query.category_ids is not None or query.tag_id is not None:
        return None
    named = exact_drug(text, names)
    if named is None:
        return None
    return SearchEntry.objects.filter(kind=Kind.DRUG, object_id=named.drug_id).values_list("pk", flat=True).first()


def _search_with_pinned(backend, query: Query, pinned_id: int, *, offset: int, limit: int) -> ResultPage:
    if offset == 0:
        result = backend.search(query, offset=0, limit=limit - 1, exclude_id=pinned_id)
        pinned_hits = backend.hits(query, [pinned_id]) or _plain_hits([pinned_id])
        result.hits = pinned_hits + result.hits
    else:
        result = backend.search(query, offset=offset - 1, limit=limit, exclude_id=pinned_id)
    result.total = min(result.total + 1, MAX_RESULTS)
    return result


def _plain_hits(ids: list[int]) -> list[Hit]:
    """Hits without highlighting, for a pinned drug whose text does not contain the query's words."""
    return [
        Hit(
            id=entry.pk,
            kind=entry.kind,
            object_id=entry.object_id,
            slug=entry.slug,
            category_id=entry.category_id,
            published_at=entry.published_at,
            marked_title=entry.title,
            marked_summary=entry.summary,
            marked_excerpt="",
        )
        for entry in SearchEntry.objects.filter(pk__in=ids)
    ]
