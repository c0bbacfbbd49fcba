"""Finding glossary terms in a text, as the editor's panel does in the browser."""

import re

from readability.models import GlossaryTerm


def glossary_pairs() -> list[dict[str, str]]:
    """Every term with its plainer words, for the panel (one query)."""
    return [
        {"term": term, "plainer": plainer, "note": note}
        for term, plainer, note in GlossaryTerm.objects.order_by("term").values_list("term", "plainer", "note")
    ]


def term_pattern(term: str) -> re.Pattern:
    """``term`` as whole words, any case, any run of spaces between its words (the JS builds the same)."""
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"(?<![A-Za-z])" + r"\s+".join(words) + r"(?![A-Za-z])", re.IGNORECASE)


def terms_in(text: str, pairs: list[dict[str, str]]) -> list[dict[str, str]]:
    return [pair for pair in pairs if term_pattern(pair["term"]).search(text)]
