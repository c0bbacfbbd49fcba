"""The bulk import and export commands (interchange format of shared/bench/make_corpus.py)."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.importing import export_lines
from articles.models import Article, Category, RelatedArticle
from drugs.models import Drug
from publishing.models import Status
from tests.factories import make_article, make_category, make_drug, make_user

MAKE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"


def record(number: int, **overrides) -> dict:
    data = {
        "title": f"Azathioprine and the liver ({number})",
        "slug": f"azathioprine-liver-{number}",
        "category": "Transplant Medicine",
        "tags": ["Azathioprine", "Liver care"],
        "summary": "What liver tests mean while taking azathioprine.",
        "body": "<h2>Overview</h2><p>Blood tests check the liver.</p>",
        "author": "Alex Morgan",
        "published_at": "2024-03-01T09:00:00+00:00",
        "drugs": ["azathioprine"],
    }
    data.update(overrides)
    return data


def write_jsonl(tmp_path, lines, name="articles.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), "--skip-see-also", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_creates_articles_with_their_category_tags_author_and_drugs(tmp_path):
    out, _ = run_import(write_jsonl(tmp_path, [record(1), record(2, tags=["Liver care", "Monitoring"])]))

    article = Article.objects.get(slug="azathioprine-liver-1")
    assert article.title == "Azathioprine and the liver (1)"
    assert article.status == Status.PUBLISHED and article.is_public
    assert article.category.name == "Transplant Medicine"
    assert sorted(tag.name for tag in article.tags.all()) == ["Azathioprine", "Liver care"]
    assert article.author.get_full_name() == "Alex Morgan"
    assert not article.author.has_usable_password()
    assert [drug.generic_name for drug in article.drugs.all()] == ["azathioprine"]
    assert Drug.objects.get().status == Status.DRAFT  # a new drug waits for its monograph
    assert Category.objects.count() == 1 and Tag.objects.count() == 3
    assert "Imported 2 articles (2 new, 0 updated)" in out


@pytest.mark.django_db
def test_import_reuses_existing_categories_tags_users_and_drugs_case_insensitively(tmp_path):
    category = make_category(name="Transplant Medicine")
    author = make_user(username="amorgan", first_name="Alex", last_name="Morgan")
    drug = make_drug(generic_name="azathioprine", author=author)
    Tag.objects.create(name="azathioprine", slug="azathioprine")

    run_import(write_jsonl(tmp_path, [record(1, drugs=["Azathioprine"])]))

    article = Article.objects.get()
    assert (article.category, article.author) == (category, author)
    assert list(article.drugs.all()) == [drug]
    assert Tag.objects.count() == 2
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_running_the_same_file_twice_updates_by_slug_and_duplicates_nothing(tmp_path):
    run_import(write_jsonl(tmp_path, [record(1), record(2)]))
    first_ids = set(Article.objects.values_list("pk", flat=True))

    changed = record(1, title="Azathioprine: liver tests explained", tags=["Monitoring"], drugs=[])
    out, _ = run_import(write_jsonl(tmp_path, [changed, record(2)], name="again.jsonl"))

    assert set(Article.objects.values_list("pk", flat=True)) == first_ids
    article = Article.objects.get(slug="azathioprine-liver-1")
    assert article.title == "Azathioprine: liver tests explained"
    assert [tag.name for tag in article.tags.all()] == ["Monitoring"]
    assert not article.drugs.exists()
    assert "(0 new, 2 updated)" in out


@pytest.mark.django_db
def test_bad_lines_are_reported_with_line_number_and_reason_and_skipped(tmp_path):
    lines = [
        record(1),
        "{not json",
        record(3, title=""),
        record(4, published_at="yesterday"),
        record(5, published_at="2024-03-01T09:00:00"),
        record(6, slug="has spaces"),
        "[1, 2]",
        record(8, tags="Liver"),
        record(9),
    ]
    out, err = run_import(write_jsonl(tmp_path, lines))

    assert sorted(Article.objects.values_list("slug", flat=True)) == ["azathioprine-liver-1", "azathioprine-liver-9"]
    reported = err.splitlines()
    assert reported[0].startswith("Line 2: not valid JSON")
    assert reported[1] == "Line 3: title is missing or empty; skipped."
    assert reported[2].startswith("Line 4: published_at 'yesterday' is not an ISO 8601")
    assert reported[3] == "Line 5: published_at has no time zone (add +00:00 or Z); skipped."
    assert reported[4].startswith("Line 6: slug 'has spaces' may contain only")
    assert reported[5] == "Line 7: not a JSON object; skipped."
    assert reported[6] == "Line 8: tags must be a list of names; skipped."
    assert "7 bad lines skipped" in out


@pytest.mark.django_db
def test_strict_stops_at_the_first_bad_line_keeping_the_lines_before_it(tmp_path):
    path = write_jsonl(tmp_path, [record(1), record(2, summary=""), record(3)])
    with pytest.raises(CommandError, match=r"Line 2: summary is missing or empty\. Stopped \(--strict\)"):
        run_import(path, "--strict")
    assert list(Article.objects.values_list("slug", flat=True)) == ["azathioprine-liver-1"]


@pytest.mark.django_db
def test_dry_run_checks_every_line_and_writes_nothing(tmp_path):
    out, err = run_import(write_jsonl(tmp_path, [record(1), "oops"]), "--dry-run")
    assert not Article.objects.exists() and not Category.objects.exists()
    assert "Checked: 1 good lines; 1 bad lines skipped" in out
    assert err.startswith("Line 2:")


@pytest.mark.django_db
def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_articles", "/nonexistent/articles.jsonl")


@pytest.mark.django_db
def test_imported_html_is_sanitised_like_editor_input(tmp_path):
    body = (
        '<h2>Doses</h2><p onclick="steal()">Take <b>with</b> food.</p><script>alert(1)</script>'
        '<a href="javascript:x()">x</a><iframe src="//evil"></iframe>'
    )
    run_import(write_jsonl(tmp_path, [record(1, body=body)]))
    stored = Article.objects.get().body
    for banned in ("<script", "onclick", "javascript:", "<iframe"):
        assert banned not in stored
    assert "<h2>Doses</h2>" in stored and "<b>with</b>" in stored


@pytest.mark.django_db
def test_unpublished_status_round_trips_and_published_needs_a_time(tmp_path):
    _, err = run_import(
        write_jsonl(tmp_path, [record(1, status="draft", published_at=None), record(2, published_at=None)])
    )
    assert Article.objects.get().status == Status.DRAFT
    assert "Line 2: a published article needs published_at" in err


@pytest.mark.django_db
def test_lines_in_progress_output_are_plain_when_not_a_terminal(tmp_path):
    out, _ = run_import(write_jsonl(tmp_path, [record(n) for n in range(1, 6)]), "--batch-size", "2")
    assert "\r" not in out and "[" not in out


@pytest.mark.django_db
def test_import_rebuilds_see_also_unless_told_not_to(tmp_path):
    path = write_jsonl(tmp_path, [record(1), record(2)])
    call_command("import_articles", str(path), stdout=StringIO())
    first, second = Article.objects.order_by("slug")
    assert RelatedArticle.objects.filter(article=first, related=second).exists()


@pytest.mark.django_db
def test_export_then_import_round_trips(tmp_path):
    category = make_category(name="Pain Relief")
    author = make_user(first_name="Sam", last_name="Rivera")
    drug = make_drug(generic_name="ibuprofen")
    make_article(title="Ibuprofen basics", category=category, author=author, tags=["NSAIDs", "Pain"], drugs=[drug])
    make_article(title="A draft", category=category, author=author, status=Status.DRAFT)
    exported = tmp_path / "export.jsonl"
    call_command("export_articles", str(exported), stderr=StringIO())
    before = [json.loads(line) for line in exported.read_text().splitlines()]

    Article.objects.all().delete()
    run_import(exported)
    again = tmp_path / "again.jsonl"
    call_command("export_articles", str(again), stderr=StringIO())

    assert [json.loads(line) for line in again.read_text().splitlines()] == before
    assert {row["slug"]: row["status"] for row in before} == {"ibuprofen-basics": "published", "a-draft": "draft"}
    assert before[0]["tags"] == ["NSAIDs", "Pain"] and before[0]["drugs"] == ["ibuprofen"]


@pytest.mark.django_db
def test_export_streams_in_batches_with_a_fixed_number_of_queries(django_assert_max_num_queries):
    category, author = make_category(), make_user()
    for number in range(7):
        make_article(category=category, author=author, tags=[f"Tag {number}"])
    with django_assert_max_num_queries(4 * 3 + 1):  # 3 batches of 3: articles, tags, drugs, plus the empty end
        lines = list(export_lines(batch_size=3))
    assert len(lines) == 7


@pytest.mark.django_db
def test_a_make_corpus_file_imports_cleanly(tmp_path):
    if not MAKE_CORPUS.exists():
        pytest.skip("shared/bench/make_corpus.py is not beside the project")
    corpus = subprocess.run([sys.executable, str(MAKE_CORPUS), "30"], check=True, capture_output=True, text=True).stdout
    path = tmp_path / "corpus.jsonl"
    path.write_text(corpus)
    out, err = run_import(path, "--strict")
    assert err == ""
    assert Article.objects.published().count() == 30
    assert Category.objects.exists() and Tag.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_makes_cached_pages_stale_once_not_once_per_row(tmp_path, monkeypatch):
    """Per-row invalidation stays off until the end, recounts included: one bump of the whole site."""
    from ops import receivers
    from ops.versions import SITE

    bumped = []
    real_bump = receivers.bump
    monkeypatch.setattr(receivers, "bump", lambda keys: bumped.append(set(keys)) or real_bump(keys))
    run_import(write_jsonl(tmp_path, [record(1), record(2), record(3, status="draft")]))
    assert bumped == [{SITE}]
