"""Time to make a rendition, and to serve one, on the demo's illustrations.

    DJANGO_SETTINGS_MODULE=medsite.settings.dev python -m bench.renditions [--base-url http://127.0.0.1:8000]

Needs a database with the demo loaded (``python manage.py load_demo``). Making: each format at 640 and 1280
pixels wide from a decoded original, best of 3. Finding: the picture markup from stored renditions (one indexed
lookup). Serving: a GET of a stored rendition from a running server (--base-url; the development server unless
nginx is in front).
"""

import argparse
import statistics
import time
import urllib.request

import django


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="a running site to fetch renditions from")
    args = parser.parse_args()
    django.setup()
    from images.markup import picture_html
    from images.models import Image
    from images.renditions import Source, height_for, modern_formats

    image = Image.objects.order_by("pk").first()
    if image is None:
        raise SystemExit("No image in the library: run `python manage.py load_demo` first.")
    print(f"image {image.pk}: {image.width}x{image.height} {image.format}, {image.file_size} bytes")
    decode = best_of(3, lambda: Source(image))
    print(f"decode original (orientation applied, metadata dropped): {decode * 1000:.1f} ms")
    source = Source(image)
    for image_format in [*modern_formats(), "jpeg", "png"]:
        for width in (640, 1280):
            seconds = best_of(3, lambda f=image_format, w=width: source.render(w, height_for(image, w), f))
            size = len(source.render(width, height_for(image, width), image_format))
            print(f"make {image_format:5} {width:5}w: {seconds * 1000:7.1f} ms  ({size} bytes)")

    def find():
        picture_html(Image.objects.with_renditions().get(pk=image.pk), sizes="100vw")

    print(f"find stored renditions and write <picture>: {best_of(20, find) * 1000:.2f} ms")
    if args.base_url:
        url = args.base_url.rstrip("/") + image.renditions.filter(width=640, format="webp").get().url
        times = []
        for _ in range(50):
            start = time.perf_counter()
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a URL the operator gave
                response.read()
            times.append(time.perf_counter() - start)
        print(f"serve {url.rsplit('/', 1)[-1]}: median {statistics.median(times) * 1000:.2f} ms over 50 GETs")


if __name__ == "__main__":
    main()
