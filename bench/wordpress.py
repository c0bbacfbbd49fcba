#!/usr/bin/env python
"""Benchmark ``manage.py import_wordpress`` on a generated WordPress export.

Usage (from the project root):

    .venv/bin/python bench/wordpress.py                      # 10,000 posts
    .venv/bin/python bench/wordpress.py --posts 2000 --keep  # smaller; keep the files under --dir
    .venv/bin/python bench/wordpress.py --database-url postgres://postgres@127.0.0.1:5432/medsite_wp_bench

It writes, under ``--dir`` (default a fresh folder in /tmp):

- ``export.xml``: a WXR 1.2 file of N published posts shaped like a real
  health site's: 3 authors, 30 categories two levels deep (children listed
  before their parents), 400 tags, 1-6 tags a post, a few paragraphs, a
  heading, a list, a "See also" list linking two earlier posts by permalink
  and by ``?p=``, and a ``[caption]`` image in every tenth post; one
  attachment per ten posts, each the featured image of its post, plus some
  comments; a few pages, drafts and trashed posts;
- ``uploads/``: the attachments' files, small JPEGs (160x120, each
  different, so none is shared as a duplicate).

Then it migrates a fresh database (a SQLite file in the folder by default),
runs the import in a child process, and prints the import's wall time, its
peak memory (``ru_maxrss`` of the child, from ``getrusage(RUSAGE_CHILDREN)``),
the file's size, and the command's own report. ``--twice`` imports the same
file again: every item is found already imported and unchanged.
"""

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://bench.example.org"
CATEGORY_COUNT = 30
TAG_COUNT = 400
AUTHORS = ("alex", "blair", "casey")
WORDS = [
    *("medicine", "tablet", "dose", "doctor", "pharmacist", "kidney", "liver", "blood", "pressure", "infection"),
    *("pain", "fever", "allergy", "treatment", "symptom", "caution", "pregnancy", "sleep", "food", "water"),
]


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def jpeg(n: int) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (160, 120), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    ImageDraw.Draw(picture).text((8, 50), str(n), fill="white")
    out = BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


def year(n: int) -> int:
    return 2015 + n % 10


def write_export(folder: Path, posts: int, seed: int) -> Path:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    path = folder / "export.xml"
    uploads = folder / "uploads"
    with path.open("w", encoding="utf-8") as out:
        w = out.write
        w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" ')
        w('xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" ')
        w('xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" ')
        w('xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n')
        w(f"<title>Bench</title><link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version>\n")
        w(f"<wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>\n")
        for n, login in enumerate(AUTHORS, start=1):
            w(f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{login}</wp:author_login>"
              f"<wp:author_email>{login}@bench.example.org</wp:author_email>"
              f"<wp:author_display_name>{login.title()} Bench</wp:author_display_name></wp:author>\n")  # fmt: skip
        # Children first: the importer must set parents once every category exists.
        for n in reversed(range(CATEGORY_COUNT)):
            parent = f"section-{n // 5}" if n >= 5 else ""
            w(f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>section-{n}</wp:category_nicename>"
              f"<wp:category_parent>{parent}</wp:category_parent><wp:cat_name>{cdata(f'Section {n}')}</wp:cat_name>"
              "</wp:category>\n")  # fmt: skip
        for n in range(TAG_COUNT):
            w(f"<wp:tag><wp:term_id>{1000 + n}</wp:term_id><wp:tag_slug>topic-{n}</wp:tag_slug>"
              f"<wp:tag_name>{cdata(f'Topic {n}')}</wp:tag_name></wp:tag>\n")  # fmt: skip
        attachment_id = 10_000_000
        for n in range(1, posts + 1):
            featured = None
            if n % 10 == 0:
                attachment_id += 1
                featured = attachment_id
                name = f"{2015 + n % 10}/{n % 12 + 1:02d}/photo-{n}.jpg"
                file = uploads / name
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(jpeg(n))
                w(f"<item><title>Photo {n}</title><link>{SITE}/photo-{n}/</link><dc:creator>alex</dc:creator>"
                  f"<wp:post_id>{attachment_id}</wp:post_id><wp:status>inherit</wp:status>"
                  f"<wp:post_parent>{n}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
                  f"<wp:attachment_url>{SITE}/wp-content/uploads/{name}</wp:attachment_url>"
                  f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{name}</wp:meta_value>"
                  "</wp:postmeta><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                  f"<wp:meta_value>Photo number {n}</wp:meta_value></wp:postmeta></item>\n")  # fmt: skip
            status = "trash" if n % 97 == 0 else "draft" if n % 31 == 0 else "publish"
            post_type = "page" if n % 500 == 0 else "post"
            day = f"{year(n)}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            paragraphs = "\n\n".join(" ".join(sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(4))
            body = paragraphs + "\n<h2>Things to know</h2>\n<ul>\n" + "".join(
                f"<li>{sentence(rng)}</li>\n" for _ in range(3)
            ) + "</ul>"  # fmt: skip
            if featured and rng.random() < 0.5:
                body = (f'[caption id="attachment_{featured}" width="160"]<img class="wp-image-{featured}" '
                        f'src="{SITE}/wp-content/uploads/{name}" alt="Photo" width="160" height="120" /> '
                        f"A caption.[/caption]\n\n") + body  # fmt: skip
            if n > 2:
                a, b = rng.randint(1, n - 1), rng.randint(1, n - 1)
                body += (f'\n<h3>See also</h3>\n<ul><li><a href="{SITE}/{year(a)}/post-{a}/">Post {a}</a></li>'
                         f'<li><a href="{SITE}/?p={b}">Post {b}</a></li></ul>')  # fmt: skip
            tags = "".join(
                f'<category domain="post_tag" nicename="topic-{t}">{cdata(f"Topic {t}")}</category>'
                for t in rng.sample(range(TAG_COUNT), rng.randint(1, 6))
            )
            category = rng.randrange(CATEGORY_COUNT)
            meta = f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{featured}</wp:meta_value></wp:postmeta>" if featured else ""  # fmt: skip  # noqa: E501
            comments = "".join(
                f"<wp:comment><wp:comment_id>{n * 10 + c}</wp:comment_id><wp:comment_approved>1</wp:comment_approved>"
                f"<wp:comment_content>{cdata('Thanks.')}</wp:comment_content></wp:comment>"
                for c in range(n % 3)
            )
            w(f"<item><title>{cdata(f'Post {n} &#8211; {rng.choice(WORDS)}')}</title>"
              f"<link>{SITE}/{day[:4]}/post-{n}/</link><dc:creator>{AUTHORS[n % 3]}</dc:creator>"
              f'<guid isPermaLink="false">{SITE}/?p={n}</guid>'
              f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>{cdata('')}</excerpt:encoded>"
              f"<wp:post_id>{n}</wp:post_id><wp:post_date>{day} 09:00:00</wp:post_date>"
              f"<wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>"
              f"<wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
              f"<wp:post_type>{post_type}</wp:post_type><wp:post_password></wp:post_password>"
              f'<category domain="category" nicename="section-{category}">{cdata(f"Section {category}")}</category>'
              f"{tags}{meta}{comments}</item>\n")  # fmt: skip
        w("</channel>\n</rss>\n")
    return path


def child(export: str, uploads: str) -> None:
    """Run the import in this process and report its peak memory."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("import_wordpress", export, "--uploads", uploads, "--publish")
    print(f"PEAK_RSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(*argv[1:3])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, help="where to write the export, uploads and database (default: /tmp)")
    ap.add_argument("--database-url", help="default: a SQLite file in --dir")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--twice", action="store_true", help="import the same file again and time the re-run")
    ap.add_argument("--keep", action="store_true", help="keep --dir afterwards")
    args = ap.parse_args(argv)

    folder = args.dir or Path(tempfile.mkdtemp(prefix="medsite-wp-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    export = write_export(folder, args.posts, args.seed)
    print(f"Wrote {export} ({export.stat().st_size / 1e6:.1f} MB, {args.posts} posts) in "
          f"{time.monotonic() - started:.0f} s")  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="medsite.settings.dev",
        DATABASE_URL=args.database_url or f"sqlite:///{folder / 'site.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        IMAGE_ORIGINALS_ROOT=str(folder / "originals"),
        # As in production: with DEBUG on, Django keeps every query's SQL (whole bulk INSERTs) in memory.
        DJANGO_DEBUG="0",
        SECRET_KEY="bench-only-key-not-a-secret-0123456789abcdefghijklmnop",  # noqa: S106 - a throwaway database
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # nosec B603
    runs = 2 if args.twice else 1
    for run in range(runs):
        started = time.monotonic()
        # The import runs in a child of its own (``--child``) that reports its own ru_maxrss: RUSAGE_CHILDREN
        # would give the largest of all children, migrate included.
        result = subprocess.run(  # nosec B603 - this script with fixed arguments
            [sys.executable, __file__, "--child", str(export), str(folder / "uploads")],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.monotonic() - started
        output = result.stdout.splitlines()
        peak = next((int(line.split("=")[1]) for line in output if line.startswith("PEAK_RSS_KB=")), 0)
        print("\n".join(line for line in output if not line.startswith("PEAK_RSS_KB=")), result.stderr[-2000:])
        print(f"{'Second run (same file)' if run else 'Import'}: {seconds:.1f} s wall (child process, Django start "
              f"included), peak RSS {peak / 1024:.0f} MB, exit {result.returncode}")  # fmt: skip
    if not args.keep and not args.dir:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
