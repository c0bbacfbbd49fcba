#!/usr/bin/env python3
"""Time a publisher's alias change on a large site: making one tag an alias of another, and undoing it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/medsite_100k \\
        .venv/bin/python bench/alias_change.py --alias Amitriptyline --main Azathioprine --rounds 2

Each round undoes the alias (if it is there) and makes it again, each in one
transaction as the tag admin's save is, with every on-commit callback run;
production settings. It prints each save's time and the group's stored count.
The search re-index the change queues is left to the task worker (``manage.py
db_worker --queue-name derived``); the alias is left in place at the end.
"""

import argparse
import time

from publish import setup_django  # bench/ is on the path when this runs as a script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alias", required=True, help="Name of the tag to make an alias.")
    parser.add_argument("--main", required=True, help="Name of its main tag.")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    setup_django()
    from django.db import transaction
    from taggit.models import Tag

    from articles.models import TagAlias, TagGroupArticleCount

    alias, main = Tag.objects.get(name=args.alias), Tag.objects.get(name=args.main)

    def timed(step, change):
        start = time.perf_counter()
        with transaction.atomic():
            change()
        count = TagGroupArticleCount.objects.filter(main=main).values_list("articles", flat=True).first()
        print(f"{step:6} {(time.perf_counter() - start) * 1000:8.0f} ms   group count {count or 0}")

    for _ in range(args.rounds):
        timed("undo", lambda: TagAlias.objects.filter(tag=alias).delete())
        timed("make", lambda: TagAlias.objects.create(tag=alias, main=main))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
