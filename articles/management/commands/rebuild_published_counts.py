from django.core.management.base import BaseCommand

from articles import tag_publications
from articles.counts import counted_totals, rebuild_published_counts, stored_totals


class Command(BaseCommand):
    help = (
        "Recount the stored numbers of published articles per tag and per category, and rebuild the rows "
        "tag pages are listed from (after bulk writes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report the stored numbers that are wrong.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if dry_run:
            wrong = self._wrong_numbers()
            self.stdout.write(f"{wrong} stored numbers differ from a recount.")
            rows = len(tag_publications.stored_rows() ^ tag_publications.wanted_rows())
            self.stdout.write(f"{rows} tag page rows differ from their articles.")
            return
        tags, categories = rebuild_published_counts()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Recounted {tags} tags and {categories} categories."))

    @staticmethod
    def _wrong_numbers() -> int:
        wanted, stored = counted_totals(), stored_totals()
        return sum(
            1
            for should, have in zip(wanted, stored, strict=True)
            for pk, number in should.items()
            if have.get(pk) != number
        )
