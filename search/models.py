"""The site search index: one row per published or scheduled article, drug and site page.

Rows are derived data, written only by ``search.indexing`` (on save through
signals, or in bulk). Readers' searches filter on ``published_at`` at query
time, so scheduled content appears when its time comes without a rewrite.

The full-text columns are not Django fields: they exist only on the backend
that uses them, created by the vendor-checked migration 0002.

* PostgreSQL: ``search_vector`` (title A, summary B, keywords C, body D) and
  ``head_vector`` (title A, summary B, keywords C), both generated columns
  (computed by the database whenever the row is written) with GIN indexes.
* SQLite: the FTS5 table ``search_entry_fts`` over title, summary, keywords
  and body, an external-content index kept in step by triggers.
"""

from django.db import models

from publishing.slug_urls import slug_url


class Kind(models.TextChoices):
    ARTICLE = "article", "Article"
    DRUG = "drug", "Drug"
    PAGE = "page", "Site page"


# The public view of each kind's pages; its ``slug`` argument is the entry's slug.
VIEW_OF_KIND = {Kind.ARTICLE: "articles:article", Kind.DRUG: "drugs:drug", Kind.PAGE: "pages:page"}


def entry_url(kind: str, slug: str) -> str:
    """The address of the page an entry stands for (``reverse()`` without walking the URL patterns per result)."""
    return slug_url(VIEW_OF_KIND[kind], slug)


class SearchEntry(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    keywords = models.TextField(blank=True, help_text="Tag names, or a drug's other names and classes.")
    body = models.TextField(blank=True, help_text="The content as plain text.")
    category = models.ForeignKey(
        "articles.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")]
        indexes = [
            # Newest first, as results beyond the ranked ones are listed; SQLite walks it for common words.
            models.Index(fields=["-published_at", "-id"], name="search_entry_newest"),
            models.Index(fields=["category", "-published_at"], name="search_entry_category"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return entry_url(self.kind, self.slug)
