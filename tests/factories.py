"""Test data from one place: ``make_<model>(**overrides)`` helpers."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Category, PinnedLink, Status
from drugs.models import Drug

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


def make_drug(**overrides):
    name = overrides.pop("generic_name", None) or unique("drugname").replace(" ", "")
    overrides.setdefault("slug", slugify(name))
    return Drug.objects.create(generic_name=name, **overrides)
