from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.demo_content import ARTICLES, CATEGORIES
from articles.html import sanitize_html
from articles.models import Article, Category, PinnedLink, Reference, Status
from articles.related import rebuild_all
from articles.signals import see_also_deferred
from drugs import demo as drug_demo
from drugs.models import Drug

DEMO_EDITOR = {"username": "editor", "password": "medsite-demo-editor", "first_name": "Demo", "last_name": "Editor"}
DEMO_REVIEWER = {"username": "reviewer", "first_name": "Demo", "last_name": "Reviewer"}


class Command(BaseCommand):
    help = (
        "Load the demo content: categories, articles, drugs and a demo editor account. "
        "Safe to run again: it updates what it made before and creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be loaded, write nothing.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if dry_run:
            self.stdout.write(f"Would load {len(CATEGORIES)} categories and {len(ARTICLES)} articles.")
            return
        with transaction.atomic(), see_also_deferred():
            editor = self.ensure_editor()
            drug_demo.load()
            categories = self.load_categories()
            self.load_articles(categories, author=editor)
        rebuild_all()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Demo content ready: {len(ARTICLES)} articles."))
            self.stdout.write(
                f"Demo editor login: username {DEMO_EDITOR['username']!r}, password {DEMO_EDITOR['password']!r} "
                "(for this demo only)."
            )

    def ensure_editor(self):
        User = get_user_model()
        editor, created = User.objects.get_or_create(
            username=DEMO_EDITOR["username"],
            defaults={"first_name": DEMO_EDITOR["first_name"], "last_name": DEMO_EDITOR["last_name"]},
        )
        if created or not (editor.is_staff and editor.is_superuser and editor.check_password(DEMO_EDITOR["password"])):
            editor.set_password(DEMO_EDITOR["password"])
            editor.is_staff = editor.is_superuser = True
            editor.save()
        return editor

    def load_categories(self) -> dict[str, Category]:
        categories = {}
        for position, data in enumerate(CATEGORIES):
            wanted = {
                "name": data["name"],
                "description": data.get("description", ""),
                "featured": data.get("featured", False),
                "position": position,
                "parent": categories.get(data.get("parent")),
            }
            category = Category.objects.filter(slug=data["slug"]).first() or Category(slug=data["slug"])
            save_if_changed(category, wanted)
            categories[category.slug] = category
        return categories

    def load_articles(self, categories, *, author):
        articles = {}
        for data in ARTICLES:
            article = Article.objects.filter(slug=data["slug"]).first() or Article(slug=data["slug"])
            save_if_changed(
                article,
                {
                    "title": data["title"],
                    "summary": data["summary"],
                    "body": sanitize_html(data["body"]),
                    "category": categories[data["category"]],
                    "author": author,
                    "status": Status.PUBLISHED,
                    "published_at": data["published_at"],
                },
            )
            article.tags.set(data["tags"])
            article.drugs.set(Drug.objects.filter(generic_name__in=data.get("drugs", [])))
            self.set_references(article, data.get("references", []))
            articles[article.slug] = article
        for data in ARTICLES:
            article = articles[data["slug"]]
            wanted = [articles[slug].pk for slug in data.get("pinned", [])]
            if list(article.pinned_links.values_list("target_id", flat=True)) != wanted:
                article.pinned_links.all().delete()
                PinnedLink.objects.bulk_create(
                    PinnedLink(article=article, target_id=pk, position=i) for i, pk in enumerate(wanted)
                )

    def set_references(self, article, references):
        fields = ["title", "publisher", "year", "url"]
        current = [tuple(row) for row in article.references.values_list(*fields)]
        wanted = [tuple(ref.get(field) or ("" if field != "year" else None) for field in fields) for ref in references]
        if current != wanted:
            article.references.all().delete()
            Reference.objects.bulk_create(
                Reference(article=article, position=i, **dict(zip(fields, row, strict=True)))
                for i, row in enumerate(wanted)
            )


def save_if_changed(instance, wanted: dict) -> None:
    """Save only when a value differs, so a second run leaves timestamps alone."""
    changed = instance.pk is None
    for field, value in wanted.items():
        if changed or getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    if changed:
        instance.save()
