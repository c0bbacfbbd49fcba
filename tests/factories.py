"""Test data from one place: ``make_<model>(**overrides)`` helpers."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.counts import rebuild_published_counts
from articles.models import Article, Category, PinnedLink, Reference
from drugs.models import Drug
from publishing.models import Status

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix} {next(_counter)}"


def make_user(**overrides):
    username = overrides.pop("username", None) or slugify(unique("user"))
    password = overrides.pop("password", "a-long-test-password")
    user = get_user_model().objects.create_user(username=username, password=password, **overrides)
    user.raw_password = password
    return user


def make_staff(**overrides):
    """A staff user with every articles and drugs permission (an editor)."""
    from django.contrib.auth.models import Permission

    user = make_user(is_staff=True, **overrides)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["articles", "drugs", "taggit"]))
    return user


def make_category(**overrides):
    name = overrides.pop("name", None) or unique("Category")
    overrides.setdefault("slug", slugify(name))
    return Category.objects.create(name=name, **overrides)


def make_article(*, tags=(), drugs=(), **overrides):
    """A published article (publish time one hour ago) unless told otherwise."""
    title = overrides.pop("title", None) or unique("Article")
    overrides.setdefault("slug", slugify(title))
    overrides.setdefault("summary", f"Summary of {title}.")
    overrides.setdefault("body", f"<h2>About</h2><p>Body of {title}.</p>")
    overrides.setdefault("status", Status.PUBLISHED)
    if overrides["status"] == Status.PUBLISHED:
        overrides.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "category" not in overrides:
        overrides["category"] = make_category()
    if "author" not in overrides:
        overrides["author"] = make_user()
    article = Article.objects.create(title=title, **overrides)
    if tags:
        article.tags.add(*tags)
    if drugs:
        article.drugs.add(*drugs)
    return article


def pin(article, *targets):
    for position, target in enumerate(targets):
        PinnedLink.objects.create(article=article, target=target, position=position)


def make_reference(article, **overrides):
    overrides.setdefault("title", unique("Reference"))
    return Reference.objects.create(article=article, **overrides)


def make_article_batch(count, *, category, author, tags_for=None, drugs=(), **overrides):
    """``count`` published articles written in a handful of queries (scale tests).

    ``tags_for(i)`` gives the tag names of the i-th article. Bulk writes skip
    ``save()`` and signals, so bodies here are plain and no "See also" lists
    are computed.
    """
    now = timezone.now()
    articles = []
    for i in range(count):
        title = unique("Batch article")
        articles.append(
            Article(
                title=title,
                slug=slugify(title),
                summary=f"Summary of {title}.",
                body=f"<p>Body of {title}.</p>",
                category=category,
                author=author,
                status=overrides.get("status", Status.PUBLISHED),
                published_at=overrides.get("published_at", now - timedelta(minutes=i + 1)),
            )
        )
    articles = Article.objects.bulk_create(articles)
    if tags_for is not None:
        names = {i: list(tags_for(i)) for i in range(count)}
        wanted = {name for group in names.values() for name in group}
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=wanted)}
        Tag.objects.bulk_create(Tag(name=name, slug=slugify(name)) for name in wanted - existing.keys())
        tags = {tag.name: tag for tag in Tag.objects.filter(name__in=wanted)}
        article_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=article_type, object_id=article.pk, tag=tags[name])
            for i, article in enumerate(articles)
            for name in names[i]
        )
    if drugs:
        through = Article.drugs.through
        through.objects.bulk_create(through(article=article, drug=drug) for article in articles for drug in drugs)
    rebuild_published_counts()  # bulk writes skip the receivers that keep the stored counts, as an import does
    return articles


def make_drug(**overrides):
    name = overrides.pop("generic_name", None) or unique("drugname").replace(" ", "")
    overrides.setdefault("slug", slugify(name))
    if "author" not in overrides:
        overrides["author"] = make_user()
    return Drug.objects.create(generic_name=name, **overrides)


# --- Drug monographs (drugs app) ---


def make_published_drug(**overrides):
    """A published drug (publish time one hour ago) unless told otherwise."""
    from publishing.models import Status as _Status

    overrides.setdefault("status", _Status.PUBLISHED)
    if overrides["status"] == _Status.PUBLISHED:
        overrides.setdefault("published_at", timezone.now() - timedelta(hours=1))
    return make_drug(**overrides)


def make_drug_class(**overrides):
    from drugs.models import DrugClass

    name = overrides.pop("name", None) or unique("Drug class")
    overrides.setdefault("slug", slugify(name))
    return DrugClass.objects.create(name=name, **overrides)


def make_condition(**overrides):
    from drugs.models import Condition

    name = overrides.pop("name", None) or unique("Condition")
    overrides.setdefault("slug", slugify(name))
    return Condition.objects.create(name=name, **overrides)


def make_drug_name(drug, **overrides):
    from drugs.models import DrugName, NameKind

    overrides.setdefault("name", unique("Brand").replace(" ", ""))
    overrides.setdefault("kind", NameKind.BRAND)
    return DrugName.objects.create(drug=drug, **overrides)


def make_side_effect(drug, **overrides):
    from drugs.models import SideEffect

    overrides.setdefault("name", unique("side effect"))
    return SideEffect.objects.create(drug=drug, **overrides)


def make_precaution(drug, **overrides):
    from drugs.models import Precaution, Topic

    overrides.setdefault("topic", Topic.OTHER)
    overrides.setdefault("text", unique("Precaution text"))
    return Precaution.objects.create(drug=drug, **overrides)


def make_drug_use(drug, **overrides):
    from drugs.models import DrugUse

    if "condition" not in overrides:
        overrides["condition"] = make_condition()
    return DrugUse.objects.create(drug=drug, **overrides)


def make_interaction(drug, **overrides):
    """An interaction of ``drug`` with another drug (a new published one unless given), a class or a substance."""
    from drugs.models import Interaction, Severity

    if not {"drug_b", "drug_class", "substance"} & overrides.keys():
        overrides["drug_b"] = make_published_drug()
    overrides.setdefault("severity", Severity.MODERATE)
    overrides.setdefault("what_happens", unique("What happens"))
    return Interaction.objects.create(drug_a=drug, **overrides)


def make_drug_reference(drug, **overrides):
    from drugs.models import DrugReference

    overrides.setdefault("title", unique("Reference"))
    return DrugReference.objects.create(drug=drug, **overrides)


# --- Editorial roles (workflow app) ---


def make_role_user(role: str, *, credentials: str = "", **overrides):
    """A staff user in one of the workflow's role groups ("Author", "Medical reviewer", "Publisher").

    ``credentials`` records reviewer credentials (needed to sign off a review).
    """
    from django.contrib.auth.models import Group

    from workflow.models import ReviewerProfile

    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name=role))
    if credentials:
        ReviewerProfile.objects.create(user=user, credentials=credentials)
    return user


def make_reviewer(**overrides):
    return make_role_user("Medical reviewer", credentials="MD (test account)", **overrides)


def sign_off(obj, reviewer=None):
    """Record a medical review on ``obj`` so it may be published; returns the reviewer."""
    from django.utils import timezone

    obj.reviewed_by = reviewer or make_reviewer()
    obj.last_reviewed = timezone.localdate()
    obj.save(update_fields=["reviewed_by", "last_reviewed"])
    return obj.reviewed_by


def sign_off_fields(reviewer):
    """The admin form fields that carry a medical review, for POSTs that publish."""
    from django.utils import timezone

    return {"reviewed_by": reviewer.pk, "last_reviewed": timezone.localdate().isoformat()}


# --- Site pages (pages app) ---


def make_page(**overrides):
    """A published site page (publish time one hour ago) at the root unless told otherwise."""
    from pages.models import Page

    title = overrides.pop("title", None) or unique("Page")
    overrides.setdefault("segment", slugify(title))
    overrides.setdefault("summary", f"Summary of {title}.")
    overrides.setdefault("body", f"<h2>About</h2><p>Body of {title}.</p>")
    overrides.setdefault("status", Status.PUBLISHED)
    if overrides["status"] == Status.PUBLISHED:
        overrides.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "author" not in overrides:
        overrides["author"] = make_user()
    return Page.objects.create(title=title, **overrides)


def image_bytes(*, size=(800, 600), image_format="JPEG", color=(40, 110, 160), exif=None, mode="RGB") -> bytes:
    """A real image file drawn with Pillow: a coloured field with a diagonal, optionally with EXIF data."""
    from io import BytesIO

    from PIL import Image as PillowImage
    from PIL import ImageDraw

    picture = PillowImage.new(mode, size, color if mode == "RGB" else (*color, 255))
    ImageDraw.Draw(picture).line((0, 0, *size), fill="white", width=5)
    out = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(out, image_format, **options)
    return out.getvalue()


def image_upload(name="picture.jpg", **options):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = image_bytes(**options)
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_image(**overrides):
    """A library image from a real file (800 × 600 JPEG unless ``upload`` says otherwise), renditions made."""
    from images.models import Image
    from images.services import image_save

    upload = overrides.pop("upload", None) or image_upload(color=(next(_counter) % 255, 110, 160))
    overrides.setdefault("title", unique("Image"))
    overrides.setdefault("alt_text", f"Alt text of {overrides['title']}")
    overrides.setdefault("credit", "Illustration: medsite")
    return image_save(image=Image(**overrides), upload=upload)
