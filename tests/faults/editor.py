"""An editor process for the fault suite: saves articles the way the admin does, on commands read from stdin.

    python -m tests.faults.editor      (with the site's environment: DATABASE_URL, REDIS_URL, ...)

Each input line is a JSON command, each output line a JSON answer:

    {"op": "seed", "articles": 6, "categories": 2, "tags": ["Tag a", ...]}
        -> {"articles": [{"id": 1, "title": ..., "url": ..., "category_url": ..., "tags": [...]}, ...],
            "tag_urls": {"Tag a": "/tag/tag-a/", ...}}
    {"op": "edit", "id": 1, "title": "...", "tags": ["Tag b"]}   (tags optional) -> {"ok": true}

An edit runs in one transaction, as an admin save does, so its invalidation
runs on commit. A failure (the database is down) answers {"error": "..."}.
It is a separate process from the web workers, with its own view of the cache.
"""

import json
import sys


def seed(command: dict) -> dict:
    from taggit.models import Tag

    from articles.models import Article
    from tests.factories import make_category, make_user

    author = make_user()
    categories = [make_category(name=f"Fault category {n}") for n in range(command["categories"])]
    tags = command["tags"]
    articles = []
    for n in range(command["articles"]):
        article = Article.objects.create(
            title=f"Fault article {n:02d} rev 000",
            slug=f"fault-article-{n:02d}",
            summary="An article the fault suite edits.",
            body="<p>Body.</p>",
            status="published",
            published_at="2020-01-01T00:00:00Z",
            category=categories[n % len(categories)],
            author=author,
        )
        article.tags.set([tags[n % len(tags)]])
        articles.append(describe(article))
    tag_urls = {tag.name: f"/tag/{tag.slug}/" for tag in Tag.objects.filter(name__in=tags)}
    assert len(tag_urls) == len(tags), "seed at least as many articles as tags"
    return {"articles": articles, "tag_urls": tag_urls}


def describe(article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.get_absolute_url(),
        "category_url": article.category.get_absolute_url(),
        "tags": sorted(tag.name for tag in article.tags.all()),
    }


def edit(command: dict) -> dict:
    from django.db import transaction

    from articles.models import Article

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=command["id"])
        article.title = command["title"]
        article.save()
        if "tags" in command:
            article.tags.set(command["tags"])
    return {"ok": True}


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    handlers = {"seed": seed, "edit": edit}
    for line in sys.stdin:
        command = json.loads(line)
        connection.close()  # like a web request: a fresh connection, so a restarted PostgreSQL is simply reached again
        try:
            answer = handlers[command["op"]](command)
        except Exception as error:  # reported to the suite, which decides whether it was expected
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
