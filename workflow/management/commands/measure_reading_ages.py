"""Store the reading age of every page: for content saved before readability was installed, or written by SQL."""

from django.core.management.base import BaseCommand
from django.db import transaction

from publishing.registry import publishable_models
from workflow.readability import readable_fields, reading_levels_save

BATCH = 500


class Command(BaseCommand):
    help = "Measure every article, drug page and other publishable page and store its reading age."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the pages that would be measured.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        total = 0
        for model in publishable_models():
            rows = model._base_manager.only("pk", *readable_fields(model)).order_by("pk")
            count = rows.count()
            total += count
            if dry_run:
                continue
            for start in range(0, count, BATCH):
                with transaction.atomic():
                    reading_levels_save(model, rows[start : start + BATCH])
            if verbosity > 1:
                self.stdout.write(f"{model._meta.verbose_name_plural}: {count}")
        verb = "Would measure" if dry_run else "Measured"
        self.stdout.write(f"{verb} {total} page(s).")
