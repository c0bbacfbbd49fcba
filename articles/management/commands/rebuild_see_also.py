from django.core.management.base import BaseCommand

from articles.models import Article
from articles.related import rebuild_all


class Command(BaseCommand):
    help = "Recompute the stored automatic 'See also' scores of every published article."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the articles, change nothing.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        total = Article.objects.published().count()
        if dry_run:
            self.stdout.write(f"Would recompute 'See also' for {total} published articles.")
            return
        step = max(total // 20, 1)

        def progress(done):
            if verbosity > 1 or (verbosity and done % step == 0):
                self.stdout.write(f"{done}/{total}")

        done = rebuild_all(progress=progress)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Recomputed 'See also' for {done} articles."))
