"""Reading age: the formulas against worked examples counted by hand, the syllable rules, the browser's copy of
the formulas against the Python, and each page's stored reading age."""

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from publishing.bulk import bulk_writes
from readability.glossary import terms_in
from readability.measure import (
    flesch_kincaid_grade,
    html_to_text,
    measure,
    reading_age,
    sentences_of,
    smog_grade,
    syllables,
    words_of,
)
from readability.models import ReadingLevel
from tests.factories import make_article, make_published_drug

CORE_JS = Path(__file__).resolve().parent.parent / "readability/static/readability/readability-core.js"


# --- The formulas, with published constants ---


def test_smog_is_mclaughlins_formula_scaled_to_thirty_sentences():
    # McLaughlin (1969): 30 sentences with 30 words of 3+ syllables -> 1.0430 * sqrt(30) + 3.1291.
    assert smog_grade(polysyllables=30, sentences=30) == pytest.approx(1.0430 * math.sqrt(30) + 3.1291)
    assert smog_grade(polysyllables=30, sentences=30) == pytest.approx(8.8418, abs=1e-4)
    # A 10-sentence text with 10 polysyllables reads like 30 sentences with 30: the same grade.
    assert smog_grade(polysyllables=10, sentences=10) == pytest.approx(smog_grade(polysyllables=30, sentences=30))
    # No polysyllables at all: the formula's floor.
    assert smog_grade(polysyllables=0, sentences=5) == pytest.approx(3.1291)


def test_flesch_kincaid_is_the_published_formula():
    # 100 words, 5 sentences, 150 syllables: 0.39 * 20 + 11.8 * 1.5 - 15.59 = 7.8 + 17.7 - 15.59 = 9.91.
    assert flesch_kincaid_grade(words=100, sentences=5, syllables=150) == pytest.approx(9.91)


def test_a_grade_is_a_uk_reading_age_five_years_on():
    assert reading_age(6.0) == 11.0


# --- Worked examples: every count below was made by hand ---

# Sentence 1: "The cat sat on the mat." 6 words, 6 syllables (one each), no polysyllable.
# Sentence 2: "Your doctor may suggest a different medicine." 7 words:
#   your 1, doc-tor 2, may 1, sug-gest 2, a 1, dif-fer-ent 3, med-i-cine 3 = 13 syllables, 2 polysyllables.
WORKED = "The cat sat on the mat. Your doctor may suggest a different medicine."


def test_worked_example_counts():
    assert sentences_of(WORKED) == ["The cat sat on the mat.", "Your doctor may suggest a different medicine."]
    assert len(words_of(WORKED)) == 13
    assert [syllables(word) for word in words_of(WORKED)] == [1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 3, 3]
    report = measure(WORKED)
    assert (report.words, report.sentences, report.syllables, report.polysyllables) == (13, 2, 19, 2)


def test_worked_example_grades():
    report = measure(WORKED)
    # SMOG: 1.0430 * sqrt(2 * 30 / 2) + 3.1291 = 1.0430 * 5.4772 + 3.1291 = 8.8418.
    assert report.smog_grade == pytest.approx(8.8418, abs=1e-4)
    # FK: 0.39 * 13 / 2 + 11.8 * 19 / 13 - 15.59 = 2.535 + 17.2462 - 15.59 = 4.1912.
    assert report.fk_grade == pytest.approx(4.1912, abs=1e-4)
    assert report.smog_age == pytest.approx(13.8418, abs=1e-4)
    assert report.fk_age == pytest.approx(9.1912, abs=1e-4)


# Plain words, heavy words: "Stop taking it if you feel sick." (7 words, 7 syllables, 1 sentence) against
# "Discontinue administration if gastrointestinal intolerance develops." (6 words:
#   dis-con-tin-ue 4, ad-min-is-tra-tion 5, if 1, ab-dom-i-nal 4, in-tol-er-ance 4, de-vel-ops 3 = 21).
PLAIN = "Stop taking it if you feel sick."
JARGON = "Discontinue administration if abdominal intolerance develops."


def test_jargon_reads_older_than_plain_words():
    plain, jargon = measure(PLAIN), measure(JARGON)
    assert (plain.words, plain.syllables, plain.polysyllables) == (7, 8, 0)  # tak-ing: 2
    assert (jargon.words, jargon.syllables, jargon.polysyllables) == (6, 21, 5)
    # FK: 0.39 * 6 + 11.8 * 21 / 6 - 15.59 = 2.34 + 41.3 - 15.59 = 28.05.
    assert jargon.fk_grade == pytest.approx(28.05, abs=1e-4)
    # SMOG: 1.0430 * sqrt(5 * 30 / 1) + 3.1291 = 1.0430 * 12.2474 + 3.1291 = 15.9032.
    assert jargon.smog_grade == pytest.approx(15.9032, abs=1e-4)
    assert plain.fk_age < 9 < 11 < jargon.fk_age
    # Most syllables first, then longer, then alphabetical; each word as first written.
    hardest = [word for word, _ in jargon.hardest]
    assert hardest == ["administration", "Discontinue", "intolerance", "abdominal", "develops"]


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("heart", 1), ("attack", 2), ("tablet", 2), ("table", 2), ("people", 2), ("doctor", 2), ("kidney", 2),
        ("liver", 2), ("stopped", 1), ("makes", 1), ("medicine", 3), ("infection", 3), ("radio", 3),
        ("quiet", 2), ("pregnancy", 3), ("medication", 4), ("anxiety", 4), ("hypertension", 4),
        ("azathioprine", 5), ("usually", 4), ("immediately", 5), ("especially", 4), ("physician", 3),
        ("safely", 2), ("treatment", 2), ("unanticipated", 6), ("diagnosis", 4),
    ],
)  # fmt: skip
def test_syllable_rules_on_everyday_and_medical_words(word, count):
    assert syllables(word) == count


def test_sentences_split_at_stops_and_blocks_but_not_decimals_or_abbreviations():
    text = html_to_text("<h2>Dose</h2><p>Take 2.5 mL, e.g. with food. Then rest!</p><ul><li>No more</li></ul>")
    assert sentences_of(text) == ["Dose", "Take 2.5 mL, eg with food.", "Then rest!", "No more"]


def test_longest_sentences_and_hardest_words_are_listed():
    report = measure("Rest. Drink plenty of water every day. Paracetamol can ease a temperature.")
    assert [sentence.words for sentence in report.longest] == [6, 5, 1]
    assert report.hardest[0] == ("Paracetamol", 5)  # pa-ra-ce-ta-mol


def test_empty_text_has_no_reading_age():
    report = measure(html_to_text("<p></p>"))
    assert report.smog_age is None and report.fk_age is None and report.words == 0


def test_glossary_terms_match_whole_words_in_any_case_and_spacing():
    pairs = [{"term": "myocardial infarction", "plainer": "heart attack", "note": ""}]
    assert terms_in("After a Myocardial\n infarction, rest.", pairs) == pairs
    assert terms_in("myocardial infarctions", pairs) == []


# --- The browser's copy agrees with the Python ---

AGREEMENT_TEXTS = [
    WORKED,
    JARGON,
    "<p>Azathioprine is a <strong>prodrug</strong>. It does little by itself; the liver changes it.</p>"
    "<ul><li>Take it with food &amp; water</li><li>Tell your doctor about infections!</li></ul>",
    "<h2>Side effects</h2><p>Ibuprofen can upset the stomach. Rarely, it causes bleeding, e.g. black stools. "
    "Doses of 1.5 g a day are not for everyone.</p><p>People who’ve had a heart attack, or who have "
    "hypertension, kidney disease or anaemia, should ask a pharmacist before using anti-inflammatory medicines "
    "such as naproxen, diclofenac or high-dose aspirin, because these medicines can raise blood pressure.</p>",
    "",
    "<p>Stop immediately, especially if a physician says the treatment is unsafe.</p>",
    "<p>Is it safe?Yes.. Really?!  “Quite” (mostly).</p><table><tr><th>Dose</th><td>Twice daily</td></tr></table>",
]


def js_measure(texts: list[str]) -> list[dict]:
    script = (
        f"const core = require({json.dumps(str(CORE_JS))});"
        "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(texts.map((t) => core.measure(core.htmlToText(t)))));"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [shutil.which("node"), "-e", script], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_panel_javascript_measures_as_the_python_does():
    for text, js in zip(AGREEMENT_TEXTS, js_measure(AGREEMENT_TEXTS), strict=True):
        py = measure(html_to_text(text))
        assert (js["words"], js["sentences"], js["syllables"], js["polysyllables"]) == (
            py.words, py.sentences, py.syllables, py.polysyllables,
        ), text  # fmt: skip
        for js_grade, py_grade in ((js["smogGrade"], py.smog_grade), (js["fkGrade"], py.fk_grade)):
            assert (js_grade is None) == (py_grade is None)
            if py_grade is not None:
                assert js_grade == pytest.approx(py_grade, abs=1e-9)
        assert [(s["text"], s["words"]) for s in js["longest"]] == [(s.text, s.words) for s in py.longest]
        assert [tuple(pair) for pair in js["hardest"]] == py.hardest


# --- Stored reading age ---


def _level(obj):
    return ReadingLevel.objects.get(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


@pytest.mark.django_db
def test_saving_an_article_or_a_drug_stores_its_reading_age():
    article = make_article(summary="A short summary.", body=f"<p>{WORKED}</p>")
    expected = measure(html_to_text(f"A short summary.\n<p>{WORKED}</p>"))
    assert _level(article).smog_age == pytest.approx(expected.smog_age)
    article.body = f"<p>{JARGON}</p>"
    article.save()
    assert _level(article).words == measure(f"A short summary.\n{JARGON}").words
    drug = make_published_drug(mechanism="It blocks an enzyme. That lowers swelling.")
    assert _level(drug).sentences >= 2
    article_pk = article.pk
    article.delete()
    assert not ReadingLevel.objects.filter(object_id=article_pk, content_type__model="article").exists()


@pytest.mark.django_db
def test_bulk_writes_store_reading_ages_per_batch():
    article = make_article(body="<p>Rest.</p>")
    with bulk_writes() as bulk:
        article.body = f"<p>{JARGON}</p>"
        article.save()
        assert _level(article).words == measure(html_to_text(f"{article.summary}\n<p>Rest.</p>")).words
        bulk.written(Article, [article])
    assert _level(article).words == measure(html_to_text(f"{article.summary}\n<p>{JARGON}</p>")).words


@pytest.mark.django_db
def test_measure_reading_ages_fills_in_pages_saved_without_one():
    from io import StringIO

    from django.core.management import call_command

    article = make_article(body=f"<p>{WORKED}</p>")
    drug = make_published_drug(mechanism="It blocks an enzyme.")
    ReadingLevel.objects.all().delete()
    out = StringIO()
    call_command("measure_reading_ages", "--dry-run", stdout=out)
    assert "Would measure 2 page(s)." in out.getvalue() and not ReadingLevel.objects.exists()
    call_command("measure_reading_ages", stdout=out)
    assert _level(article).words == measure(html_to_text(f"{article.summary}\n<p>{WORKED}</p>")).words
    assert _level(drug).sentences >= 1
