"""``manage.py import_wordpress EXPORT.xml [--uploads DIR] [--publish] [--dry-run]``: move a WordPress site in."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.related import rebuild_all
from wordpress.importer import BATCH_SIZE, import_wordpress
from wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools > Export, WXR 1.0 to 1.2): authors, categories, tags, posts as "
        "articles, pages as site pages, attachments from a local copy of wp-content/uploads, and a 301 from "
        "every old address. Run it again to update: items are matched by the WordPress site and post id. "
        "Published posts arrive in review unless --publish is given; see wordpress/importer.py for why."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The WordPress export file (.xml).")
        parser.add_argument(
            "--uploads",
            type=Path,
            help="A local copy of the site's wp-content/uploads folder; images are never fetched from the old site.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish what was published on WordPress (and schedule what was scheduled) instead of putting it "
            "in review. It is listed in the review queue as not medically reviewed here until a reviewer signs it "
            "off.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Read and check everything, write nothing.")
        parser.add_argument(
            "--defer-renditions",
            action="store_true",
            help="Keep the originals only; each image's resized copies are made the first time a page shows it "
            "(for sites with thousands of large photos, where making them all now would take hours).",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Posts per transaction.")
        parser.add_argument(
            "--skip-see-also", action="store_true", help="Do not recompute 'See also' lists at the end."
        )

    def handle(
        self, *args, file, uploads, publish, dry_run, defer_renditions, batch_size, skip_see_also, verbosity, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"No such folder: {uploads} (--uploads names a copy of wp-content/uploads)")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()

        def progress(message: str) -> None:
            if verbosity:
                self.stdout.write(f"{message} ({time.monotonic() - started:.0f} s)")

        try:
            report = import_wordpress(
                path=path,
                uploads=uploads,
                publish=publish,
                dry_run=dry_run,
                renditions=not defer_renditions,
                batch_size=batch_size,
                progress=progress,
            )
        except WXRError as error:
            raise CommandError(f"{path.name}, {error}. Nothing more was imported.") from None
        if verbosity:
            for line in report.lines(dry_run=dry_run):
                self.stdout.write(line)
        if not dry_run and not skip_see_also:
            done = rebuild_all()
            if verbosity:
                self.stdout.write(f"Recomputed 'See also' for {done} articles.")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
