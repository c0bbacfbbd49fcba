"""How articles take part in bulk writes (``publishing.bulk``).

Inside a bulk write, "See also" scores and the stored counts are not kept
row by row. Each batch brings its articles' tag-page rows and the counts of
their tags and categories up to date inside the batch's transaction (so an
import killed between batches leaves what it committed listed correctly);
at the end every count is recounted once. See also is rebuilt by the caller
(``articles.related.rebuild_all``), as it reads the whole corpus.
"""

from contextlib import contextmanager

from articles import counts, tag_publications
from articles.models import Article
from articles.signals import see_also_deferred
from publishing.bulk import BulkHook


@contextmanager
def deferred():
    with see_also_deferred(), counts.counts_deferred():
        yield


def batch_written(model, objects) -> None:
    if model is not Article:
        return
    ids = [article.pk for article in objects]
    tag_publications.sync(ids)
    counts.recount_for_articles(ids)


HOOK = BulkHook("articles", defer=deferred, written=batch_written, finish=counts.rebuild_published_counts)
