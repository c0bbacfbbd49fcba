from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from changelog.models import ChangeNote


class CorrectionsSitemap(Sitemap):
    """The site-wide Corrections page (its entries link to pages the other sections list)."""

    changefreq = "weekly"

    def items(self):
        return ["changelog:corrections"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return ChangeNote.objects.corrections().order_by("-created_at").values_list("created_at", flat=True).first()


SITEMAPS = {"corrections": CorrectionsSitemap}
