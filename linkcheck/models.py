"""What the link checker found for each address used on the site, and which pages use it."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class LinkState(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    BROKEN = "broken", "Broken"
    BLOCKED = "blocked", "Not checked (robots.txt)"


class LinkCheck(models.Model):
    """One web address and the last answer it gave."""

    url = models.CharField("address", max_length=2000, unique=True)
    state = models.CharField(max_length=20, choices=LinkState.choices, default=LinkState.UNCHECKED)
    status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    final_url = models.CharField("address after redirects", max_length=2000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    first_broken_at = models.DateTimeField(
        "broken since", null=True, blank=True, help_text="When it first failed; cleared when it works again."
    )
    last_checked_at = models.DateTimeField("last checked", null=True, blank=True)

    class Meta:
        ordering = ["url"]
        verbose_name = "checked link"
        verbose_name_plural = "checked links"
        indexes = [models.Index(fields=["state", "first_broken_at"], name="linkcheck_state_broken")]

    def __str__(self):
        return self.url

    @property
    def redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url


class LinkUse(models.Model):
    """A page that uses an address: in a reference, or as a link in its text. Rebuilt on every run."""

    class Where(models.TextChoices):
        REFERENCE = "reference", "Reference"
        BODY = "body", "Link in the text"

    link = models.ForeignKey(LinkCheck, on_delete=models.CASCADE, related_name="uses")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    where = models.CharField(max_length=20, choices=Where.choices)
    reference_id = models.PositiveBigIntegerField(null=True, blank=True)
    page_title = models.CharField(max_length=300)

    class Meta:
        ordering = ["page_title", "pk"]
        verbose_name = "link use"
        verbose_name_plural = "link uses"
        indexes = [models.Index(fields=["content_type", "object_id"], name="linkuse_page")]

    def __str__(self):
        return f"{self.page_title}: {self.link}"


class BrokenLinkManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(state=LinkState.BROKEN)


class BrokenLink(LinkCheck):
    """The admin's broken-links report: checked links that failed, with the pages using them."""

    objects = BrokenLinkManager()

    class Meta:
        proxy = True
        ordering = ["first_broken_at", "url"]
        verbose_name = "broken link"
        verbose_name_plural = "broken links"
