"""``manage.py export_articles [FILE]``: every article as JSON Lines, the format import_articles reads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import export_lines
from articles.models import Article
from publishing.models import Status


class Command(BaseCommand):
    help = "Write articles as JSON Lines (the import_articles format), to FILE or standard output."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="Where to write; - (the default) is standard output.")
        parser.add_argument("--published-only", action="store_true", help="Only articles with status published.")

    def handle(self, *args, file, published_only, verbosity, **options):
        articles = Article.objects.filter(status=Status.PUBLISHED) if published_only else Article.objects.all()
        if file == "-":
            self._write(articles, self.stdout._out)
            return
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"No such folder: {path.parent}")
        with path.open("w", encoding="utf-8") as handle:
            count = self._write(articles, handle)
        if verbosity:
            self.stderr.write(f"Exported {count} articles to {path}.")

    @staticmethod
    def _write(articles, handle) -> int:
        count = 0
        for line in export_lines(articles=articles):
            handle.write(line)
            count += 1
        return count
