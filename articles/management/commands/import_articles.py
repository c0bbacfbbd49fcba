"""``manage.py import_articles FILE.jsonl``: bulk import in the interchange format (see articles.importing)."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import BATCH_SIZE, BadLine, ImportReport, import_articles, read_records
from articles.related import rebuild_all

PLAIN_PROGRESS_EVERY = 5000
BAR_WIDTH = 30


class ByteCountingLines:
    """Decoded lines of a binary file, counting the bytes read so progress needs no pre-scan."""

    def __init__(self, handle):
        self.handle = handle
        self.bytes_read = 0

    def __iter__(self):
        for raw in self.handle:
            self.bytes_read += len(raw)
            yield raw.decode("utf-8", errors="replace")


class Command(BaseCommand):
    help = (
        "Import articles from a JSON Lines file (the format of shared/bench/make_corpus.py). "
        "Matches articles by slug, so running it again updates instead of duplicating. "
        "Bad lines are reported with their line number and skipped; --strict stops at the first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .jsonl file, or - for standard input.")
        parser.add_argument("--strict", action="store_true", help="Stop at the first bad line.")
        parser.add_argument("--dry-run", action="store_true", help="Check every line, write nothing.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Articles per transaction.")
        parser.add_argument(
            "--skip-see-also",
            action="store_true",
            help="Do not recompute 'See also' lists at the end (run rebuild_see_also later).",
        )
        parser.add_argument(
            "--skip-search-index",
            action="store_true",
            help="Do not index the articles for search as they are written (rebuild the index later).",
        )

    def handle(self, *args, file, strict, dry_run, batch_size, skip_see_also, skip_search_index, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        handle, total_bytes = self._open(file)
        lines = ByteCountingLines(handle)
        self.verbosity = verbosity
        self.on_terminal = self.stdout.isatty()
        started = time.monotonic()
        try:
            if dry_run:
                report = self._check_only(lines, strict)
            else:
                report = import_articles(
                    lines=lines,
                    strict=strict,
                    batch_size=batch_size,
                    search_index=not skip_search_index,
                    on_bad_line=self._report_bad_line,
                    on_batch=lambda report: self._progress(report, lines.bytes_read, total_bytes),
                )
        except BadLine as bad:
            raise CommandError(
                f"Line {bad.line_number}: {bad.reason}. Stopped (--strict); lines before it were imported."
            ) from None
        finally:
            handle.close()
        self._finish_progress()
        self._summarise(report, dry_run, time.monotonic() - started)
        if not dry_run and not skip_see_also:
            self._rebuild_see_also()

    def _open(self, file: str):
        if file == "-":
            return sys.stdin.buffer, None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        return path.open("rb"), path.stat().st_size

    def _check_only(self, lines, strict: bool) -> ImportReport:
        report = ImportReport()

        def bad(line: BadLine) -> None:
            report.bad_lines.append(line)
            self._report_bad_line(line)

        report.created = sum(1 for _ in read_records(lines, strict=strict, on_bad_line=bad))
        return report

    def _report_bad_line(self, bad: BadLine) -> None:
        self._finish_progress()
        self.stderr.write(f"Line {bad.line_number}: {bad.reason}; skipped.")

    def _progress(self, report: ImportReport, done_bytes: int, total_bytes: int | None) -> None:
        if not self.verbosity:
            return
        share = done_bytes / total_bytes if total_bytes else None
        if self.on_terminal:
            filled = int(BAR_WIDTH * (share or 0))
            percent = f"{share:4.0%}" if share is not None else "    "
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent} {report.imported} articles", ending=""
            )
            self.stdout.flush()
            self._bar_open = True
        elif report.imported // PLAIN_PROGRESS_EVERY != getattr(self, "_last_step", 0):
            self._last_step = report.imported // PLAIN_PROGRESS_EVERY
            percent = f" ({share:.0%} of the file)" if share is not None else ""
            self.stdout.write(f"Imported {report.imported} articles{percent}.")

    def _finish_progress(self) -> None:
        if getattr(self, "_bar_open", False):
            self.stdout.write("")
            self._bar_open = False

    def _summarise(self, report: ImportReport, dry_run: bool, seconds: float) -> None:
        if not self.verbosity:
            return
        skipped = f"; {len(report.bad_lines)} bad lines skipped" if report.bad_lines else ""
        if dry_run:
            self.stdout.write(f"Checked: {report.created} good lines{skipped}. Nothing was written (--dry-run).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.imported} articles ({report.created} new, {report.updated} updated){skipped} "
                f"in {seconds:.1f} s."
            )
        )

    def _rebuild_see_also(self) -> None:
        started = time.monotonic()

        def progress(done: int) -> None:
            if self.verbosity > 1 and done % PLAIN_PROGRESS_EVERY == 0:
                self.stdout.write(f"See also: {done} articles")

        done = rebuild_all(progress=progress)
        if self.verbosity:
            self.stdout.write(f"Recomputed 'See also' for {done} articles in {time.monotonic() - started:.1f} s.")
