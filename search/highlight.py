"""Search words marked in a result's title, summary and body excerpt, in Python, for the PostgreSQL backend.

PostgreSQL's ``ts_headline`` parses all the text it is given for every
result: 20 results' titles, summaries and body windows took about 5 ms of
the database's CPU on each search page, as much as finding them. The same
marks come from the stored plain text here: a word is marked when its stem
is one of the query's lexemes (``plainto_tsquery``'s output, which already
leaves out stop words). The stems are the Snowball English stemmer's, the
algorithm of PostgreSQL's ``english_stem`` dictionary (snowballstemmer 2.2
gave the same stem as PostgreSQL 15 for all 3,146 distinct words of the demo
content and docs; a later PostgreSQL with a newer Snowball may differ on a
rare word, which then goes unmarked). Words are split as the text search
parser splits them for this purpose: runs of letters and digits
("Crohn's" is "Crohn" and "s").

The body excerpt is at most two fragments of ``FRAGMENT_WORDS`` words around
the first matches, joined with " … ", as ``ts_headline``'s MaxFragments=2 and
MaxWords=22 gave; empty when the body window holds no match.
"""

import re
from functools import lru_cache

import snowballstemmer

# Control characters search.indexing.plain_text strips from all indexed text: Hit.render turns them into <mark>.
MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"[^\W_]+")
LEXEME = re.compile(r"'((?:[^']|'')*)'")
FRAGMENTS = 2
FRAGMENT_WORDS = 22
FRAGMENT_DELIMITER = " … "
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=256)
def lexemes(tsquery_text: str) -> frozenset[str]:
    """The lexemes of a tsquery as PostgreSQL prints it (``'patient' & 'care'``)."""
    return frozenset(match.replace("''", "'") for match in LEXEME.findall(tsquery_text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.lower())


def mark_all(text: str, wanted: frozenset[str]) -> str:
    """``text`` with every word whose stem is ``wanted`` between the markers."""
    return _candidates(wanted).sub(
        lambda word: _marked(word.group()) if stem(word.group()) in wanted else word.group(), text
    )


def excerpt(text: str, wanted: frozenset[str]) -> str:
    """Up to two marked fragments of ``text`` around its first matches; "" when nothing in it matches."""
    fragments, covered_to = [], 0
    for word in _candidates(wanted).finditer(text):
        if word.start() < covered_to or stem(word.group()) not in wanted:
            continue
        start, covered_to = _fragment_around(text, word, floor=covered_to)
        fragments.append(mark_all(text[start:covered_to], wanted))
        if len(fragments) == FRAGMENTS:
            break
    return FRAGMENT_DELIMITER.join(fragments)


@lru_cache(maxsize=256)
def _candidates(wanted: frozenset[str]) -> re.Pattern:
    """The words that may match: those starting with a lexeme's first two letters (a stem keeps its word's first
    two letters), so only a few words of a text are stemmed."""
    starts = "|".join(sorted({re.escape(lexeme[:2]) for lexeme in wanted})) or "(?!)"
    return re.compile(rf"(?<![^\W_])(?:{starts})[^\W_]*", re.IGNORECASE)


def _fragment_around(text: str, word: re.Match, *, floor: int) -> tuple[int, int]:
    """Where a fragment of at most ``FRAGMENT_WORDS`` words around ``word`` starts and ends, not before ``floor``."""
    reach = max(floor, word.start() - FRAGMENT_WORDS * 20)
    before = list(WORD.finditer(text, reach, word.start()))
    if before and reach > 0 and before[0].start() == reach and WORD.match(text, reach - 1):
        before = before[1:]  # cut mid-word
    before = before[-(FRAGMENT_WORDS // 2) :]
    end = word.end()
    for count, following in enumerate(WORD.finditer(text, word.start()), start=len(before) + 1):
        end = following.end()
        if count == FRAGMENT_WORDS:
            break
    return (before[0].start() if before else word.start()), end


def _marked(word: str) -> str:
    return f"{MARK_START}{word}{MARK_END}"
