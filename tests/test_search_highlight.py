"""Search words marked in Python for the PostgreSQL backend (search/highlight.py): the same stems as PostgreSQL's
``english_stem``, every form of a word marked, and at most two short fragments of a body."""

import re

import pytest
from django.db import connection

from search.highlight import FRAGMENT_DELIMITER, FRAGMENT_WORDS, MARK_END, MARK_START, excerpt, lexemes, mark_all, stem


def shown(text: str) -> str:
    return text.replace(MARK_START, "[").replace(MARK_END, "]")


def test_the_lexemes_are_read_from_the_printed_tsquery():
    assert lexemes("'patient' & 'kidney'") == {"patient", "kidney"}
    assert lexemes("'o''neil' & 'test'") == {"o'neil", "test"}
    assert lexemes("") == frozenset()


def test_every_form_of_a_word_is_marked_and_nothing_else():
    wanted = lexemes("'kidney' & 'test'")

    marked = mark_all("Kidneys, kidney tests; a kid tested testing.", wanted)

    assert shown(marked) == "[Kidneys], [kidney] [tests]; a kid [tested] [testing]."


def test_a_body_without_the_words_has_no_excerpt():
    assert excerpt("Nothing about the subject here.", lexemes("'kidney'")) == ""


def test_an_excerpt_is_at_most_two_fragments_around_the_first_matches():
    filler = " ".join(f"word{number}" for number in range(60))
    body = f"Kidney at the start. {filler} then kidneys again. {filler} and a kidney a third time."

    text = excerpt(body, lexemes("'kidney'"))

    fragments = text.split(FRAGMENT_DELIMITER)
    assert len(fragments) == 2
    assert all(len(re.findall(r"[^\W_]+", fragment)) <= FRAGMENT_WORDS for fragment in fragments)
    assert shown(fragments[0]).startswith("[Kidney] at the start")
    assert "[kidneys] again" in shown(fragments[1])
    assert "third" not in text


def test_matches_close_together_share_one_fragment():
    text = excerpt("The kidney and the kidneys, both kidneys.", lexemes("'kidney'"))

    assert FRAGMENT_DELIMITER not in text
    assert shown(text) == "The [kidney] and the [kidneys], both [kidneys]"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's english_stem dictionary")
def test_the_stems_are_postgresqls():
    words = (
        "patients kidneys liver tests testing tested dying lying generously happily running ran ibuprofen "
        "azathioprine emergency evening added pasted vaccination vaccines hospitalised hospitalized Crohn's "
        "breastfeeding inflammation inflammatory allergic allergies children's dosage doses"
    )
    compared = 0
    with connection.cursor() as cursor:
        for word in re.findall(r"[^\W_]+", words):
            cursor.execute("SELECT ts_lexize('english_stem', %s)", [word.lower()])
            (postgres,) = cursor.fetchone()
            if postgres:  # [] for a stop word ("s"), which no query holds
                assert [stem(word)] == postgres, word
                compared += 1
    assert compared == 31  # every word but "s"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's statement")
def test_the_words_in_the_statement_are_quoted_as_a_bound_parameter_would_be():
    from django.utils import timezone

    from search.backends import PostgresBackend, Query

    words = ("o'neil", "100%s", "back\\slash", "x')::tsquery; SELECT 1 --")
    tsquery, params = PostgresBackend().tsquery(Query(terms=words, now=timezone.now()))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tsquery}::text, plainto_tsquery('english', %s)::text", [*params, " ".join(words)])
        constant, bound = cursor.fetchone()
    assert constant == bound


@pytest.mark.django_db
@pytest.mark.parametrize("first_use", ["patients", "Patients"])
def test_the_excerpt_is_cut_around_the_first_use_of_the_word_far_into_the_body(client, first_use):
    from search.indexing import reindex_all
    from tests.factories import make_article

    preamble = " ".join(f"filler{number}" for number in range(200))  # far past the window's 700 characters
    make_article(title="Kidney care", summary="About kidneys.", body=f"<p>{preamble}. {first_use} ask about it.</p>")
    reindex_all()
    [hit] = client.get("/search/", {"q": "patient"}).context["outcome"].hits
    assert f"<mark>{first_use}</mark> ask about it" in hit.excerpt_html
