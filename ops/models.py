from django.db import models
from django.db.models import Q


class CacheGeneration(models.Model):
    """The page cache's generation, kept in the database because the cache itself may lose or roll back writes.

    Raised whenever an edit could not invalidate the pages it changed (the
    cache was down or frozen) and whenever the cache server restarted (it may
    have come back on a snapshot older than some edits); every stored page records the generation it was
    rendered under and is not served under another (``ops.generation``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.BigIntegerField(default=0)
    raised_at = models.DateTimeField(null=True, blank=True, help_text="When an invalidation last failed.")
    cache_server = models.CharField(
        max_length=64, blank=True, help_text="The cache server run the generation was last checked against."
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "cache generation"
        verbose_name_plural = "cache generation"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="ops_cachegeneration_single_row")]

    def __str__(self) -> str:
        return f"cache generation {self.generation}"
