"""Sitemap sections for drug pages, drug classes and conditions (published drugs only)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from drugs.models import Condition, Drug, DrugClass
from publishing.models import Status
from publishing.slug_urls import slug_url


def _published(prefix: str) -> Q:
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


def latest_drug_change():
    return Drug.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class DrugSitemap(Sitemap):
    changefreq = "weekly"

    view_name = "drugs:drug"

    def location(self, drug):
        return slug_url(self.view_name, drug.slug)

    def items(self):
        return Drug.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, drug):
        return drug.updated_at

    def get_latest_lastmod(self):
        return latest_drug_change()


class DrugGroupSitemap(Sitemap):
    """Classes or conditions, each dated by the latest change to one of its published drugs."""

    changefreq = "weekly"
    model = None

    def items(self):
        # A class or condition without a published drug has nothing to offer a search engine.
        latest = Max("drugs__updated_at", filter=_published("drugs__"))
        return self.model.objects.annotate(latest=latest).filter(latest__isnull=False).order_by("pk")

    def lastmod(self, group):
        return group.latest

    def get_latest_lastmod(self):
        return max((group.latest for group in self.items()), default=None)


class DrugClassSitemap(DrugGroupSitemap):
    model = DrugClass


class ConditionSitemap(DrugGroupSitemap):
    model = Condition


class DrugIndexSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["drugs:index", "drugs:class-index", "drugs:condition-index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return latest_drug_change()

    def get_latest_lastmod(self):
        return latest_drug_change()


SITEMAPS = {
    "drug-index": DrugIndexSitemap,
    "drugs": DrugSitemap,
    "drug-classes": DrugClassSitemap,
    "conditions": ConditionSitemap,
}
