from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Article, Category, FaqItem, PinnedLink, Reference, TagAlias
from articles.related import rebuild_all
from articles.signals import see_also_deferred
from changelog.models import ChangeNote
from demo import drugs as drug_demo
from demo import pages as page_demo
from demo.articles import ARTICLES, CATEGORIES, TAG_ALIASES
from demo.glossary import GLOSSARY
from demo.illustrations import CREDIT, ILLUSTRATIONS
from drugs.models import Drug
from images.models import Image
from images.services import image_save
from images.validation import inspect_upload
from publishing.html import sanitize_html
from publishing.models import Status
from readability.models import GlossaryTerm
from workflow.models import ReviewerProfile
from workflow.roles import AUTHOR, MEDICAL_REVIEWER, PUBLISHER
from workflow.services import add_months, review_interval_months

DEMO_EDITOR = {"username": "editor", "password": "medsite-demo-editor", "first_name": "Demo", "last_name": "Editor"}
# One account per editorial role (workflow.roles), for trying the workflow; demo passwords only.
DEMO_ROLE_ACCOUNTS = [
    {"username": "author", "password": "medsite-demo-author", "last_name": "Author", "role": AUTHOR},
    {"username": "reviewer", "password": "medsite-demo-reviewer", "last_name": "Reviewer", "role": MEDICAL_REVIEWER},
    {"username": "publisher", "password": "medsite-demo-publisher", "last_name": "Publisher", "role": PUBLISHER},
]
# Printed beside the reviewer's name on the pages: nobody clinical has checked the demo content.
DEMO_REVIEWER_CREDENTIALS = "demo account, not a clinician"


class Command(BaseCommand):
    help = (
        "Load the demo content: categories, articles, drugs, site pages, illustrations drawn for the demo and a "
        "demo editor account. "
        "Safe to run again: it updates what it made before and creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be loaded, write nothing.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if dry_run:
            self.stdout.write(
                f"Would load {len(CATEGORIES)} categories, {len(ARTICLES)} articles and {len(page_demo.PAGES)} pages."
            )
            return
        with transaction.atomic(), see_also_deferred():
            editor = self.ensure_editor()
            accounts = self.ensure_role_accounts()
            drug_demo.load(author=editor, reviewer=accounts["reviewer"])
            categories = self.load_categories()
            images = self.load_images(editor)
            self.load_articles(categories, images, author=editor, reviewer=accounts["reviewer"])
            self.load_tag_aliases()
            self.feature_on_drugs(images)
            page_demo.load(author=editor, reviewer=accounts["reviewer"])
            self.load_glossary()
        rebuild_all()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Demo content ready: {len(ARTICLES)} articles, {len(page_demo.PAGES)} pages.")
            )
            self.stdout.write(
                f"Demo editor login: username {DEMO_EDITOR['username']!r}, password {DEMO_EDITOR['password']!r} "
                "(for this demo only)."
            )
            for account in DEMO_ROLE_ACCOUNTS:
                self.stdout.write(
                    f"Demo {account['role'].lower()} login: username {account['username']!r}, "
                    f"password {account['password']!r}."
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

    def ensure_role_accounts(self) -> dict:
        """A staff account in each role group; the reviewer has credentials so it can sign off."""
        User = get_user_model()
        accounts = {}
        for account in DEMO_ROLE_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=account["username"],
                defaults={"first_name": "Demo", "last_name": account["last_name"], "is_staff": True},
            )
            if created or not (user.is_staff and user.check_password(account["password"])):
                user.set_password(account["password"])
                user.is_staff = True
                user.save()
            if not user.groups.filter(name=account["role"]).exists():
                user.groups.add(Group.objects.get(name=account["role"]))
            accounts[account["username"]] = user
        ReviewerProfile.objects.get_or_create(
            user=accounts["reviewer"], defaults={"credentials": DEMO_REVIEWER_CREDENTIALS}
        )
        return accounts

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

    def load_images(self, editor) -> dict[str, Image]:
        """The demo's illustrations (demo/illustrations.py), each uploaded once, found again by its content."""
        images = {}
        for illustration in ILLUSTRATIONS:
            upload = illustration.upload()
            found = Image.objects.filter(content_hash=inspect_upload(upload).content_hash).first()
            wanted = {
                "title": illustration.title,
                "alt_text": illustration.alt_text,
                "caption": illustration.caption,
                "credit": CREDIT,
            }
            if found is None:
                images[illustration.key] = image_save(image=Image(**wanted), upload=upload, user=editor)
            else:
                if any(getattr(found, name) != value for name, value in wanted.items()):
                    for name, value in wanted.items():
                        setattr(found, name, value)
                    image_save(image=found)
                images[illustration.key] = found
        return images

    def feature_on_drugs(self, images) -> None:
        for illustration in ILLUSTRATIONS:
            for target in illustration.featured_on:
                if not target.startswith("drug:"):
                    continue
                drug = Drug.objects.filter(generic_name=target.removeprefix("drug:")).first()
                if drug is not None and drug.featured_image_id != images[illustration.key].pk:
                    drug.featured_image = images[illustration.key]
                    drug.save(update_fields=["featured_image", "updated_at"])

    def load_articles(self, categories, images, *, author, reviewer):
        featured = {slug: images[i.key] for i in ILLUSTRATIONS for slug in i.featured_on}
        in_body = {}
        for illustration in ILLUSTRATIONS:
            for slug in illustration.in_body_of:
                in_body.setdefault(slug, []).append(images[illustration.key])
        articles = {}
        for data in ARTICLES:
            article = Article.objects.filter(slug=data["slug"]).first() or Article(slug=data["slug"])
            # Reviewed (by the demo reviewer, never the author) on the day it was published,
            # so the dates are the same on every run.
            reviewed_on = data["published_at"].date()
            save_if_changed(
                article,
                {
                    "title": data["title"],
                    "summary": data["summary"],
                    "body": sanitize_html(with_images(data["body"], in_body.get(data["slug"], []))),
                    "featured_image": featured.get(data["slug"]),
                    "category": categories[data["category"]],
                    "author": author,
                    "status": Status.PUBLISHED,
                    "published_at": data["published_at"],
                    "reviewed_by": reviewer,
                    "last_reviewed": reviewed_on,
                    "next_review_due": add_months(reviewed_on, review_interval_months()),
                },
            )
            article.tags.set(data["tags"])
            article.drugs.set(Drug.objects.filter(generic_name__in=data.get("drugs", [])))
            self.set_references(article, data.get("references", []))
            self.set_faq(article, data.get("faq", []))
            self.set_change_notes(article, data.get("change_notes", []))
            articles[article.slug] = article
        for data in ARTICLES:
            article = articles[data["slug"]]
            wanted = [articles[slug].pk for slug in data.get("pinned", [])]
            if list(article.pinned_links.values_list("target_id", flat=True)) != wanted:
                article.pinned_links.all().delete()
                PinnedLink.objects.bulk_create(
                    PinnedLink(article=article, target_id=pk, position=i) for i, pk in enumerate(wanted)
                )

    def load_tag_aliases(self):
        for alias_name, main_name in TAG_ALIASES:
            alias, main = Tag.objects.get(name=alias_name), Tag.objects.get(name=main_name)
            if not TagAlias.objects.filter(tag=alias, main=main).exists():
                TagAlias.objects.update_or_create(tag=alias, defaults={"main": main})

    def load_glossary(self):
        for term, plainer, note in GLOSSARY:
            GlossaryTerm.objects.update_or_create(term=term, defaults={"plainer": plainer, "note": note})

    def set_faq(self, article, faq):
        wanted = [(question, sanitize_html(answer)) for question, answer in faq]
        if list(article.faq_items.values_list("question", "answer")) != wanted:
            article.faq_items.all().delete()
            FaqItem.objects.bulk_create(
                FaqItem(article=article, question=question, answer=answer, position=i)
                for i, (question, answer) in enumerate(wanted)
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

    def set_change_notes(self, article, notes):
        current = sorted(article.change_notes.values_list("date", "summary", "is_correction"))
        if current != sorted(notes):
            article.change_notes.all().delete()
            for day, summary, is_correction in notes:
                ChangeNote.objects.create(page=article, date=day, summary=summary, is_correction=is_correction)


def with_images(body: str, images) -> str:
    """``body`` with each library image after its first paragraph (the way the editor stores one)."""
    if not images:
        return body
    markup = "".join(f'<img data-image="{image.pk}" alt="{escape(image.alt)}">' for image in images)
    head, found, tail = body.partition("</p>")
    return head + found + markup + tail if found else markup + body


def save_if_changed(instance, wanted: dict) -> None:
    """Save only when a value differs, so a second run leaves timestamps alone."""
    changed = instance.pk is None
    for field, value in wanted.items():
        if changed or getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    if changed:
        instance.save()
