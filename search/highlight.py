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


def lexemes(tsquery_text: str) -> frozenset[str]:
    """The lexemes of a tsquery as PostgreSQL prints it (``'patient' & 'care'``)."""
    return frozenset(match.replace("''", "'") for match in LEXEME.findall(tsquery_text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.lower())


def mark_all(text: str, wanted: frozenset[str]) -> str:
    """``text`` with every word whose stem is ``wanted`` between the markers."""
    return WORD.sub(lambda word: _marked(word.group()) if stem(word.group()) in wanted else word.group(), text)


def excerpt(text: str, wanted: frozenset[str]) -> str:
    """Up to two marked fragments of ``text`` around its first matches; "" when nothing in it matches."""
    words = list(WORD.finditer(text))
    matches = [position for position, word in enumerate(words) if stem(word.group()) in wanted]
    fragments, covered_to = [], -1
    for position in matches:
        if position < covered_to:
            continue
        start = max(0, position - FRAGMENT_WORDS // 2)
        end = min(len(words), start + FRAGMENT_WORDS)
        start = max(0, min(start, end - FRAGMENT_WORDS))
        if start < covered_to:
            start = covered_to
        fragments.append(mark_all(text[words[start].start() : words[end - 1].end()], wanted))
        covered_to = end
        if len(fragments) == FRAGMENTS:
            break
    return FRAGMENT_DELIMITER.join(fragments)


def _marked(word: str) -> str:
    return f"{MARK_START}{word}{MARK_END}"
