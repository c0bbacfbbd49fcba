"""Demo drug records for ``load_demo``."""

from django.utils.text import slugify

from drugs.models import Drug

DRUG_NAMES = ["azathioprine", "ibuprofen", "naproxen", "amitriptyline", "morphine", "gabapentin",
              "pregabalin", "lidocaine", "cyclobenzaprine", "baclofen"]  # fmt: skip


def load() -> None:
    for name in DRUG_NAMES:
        Drug.objects.update_or_create(slug=slugify(name), defaults={"generic_name": name})
