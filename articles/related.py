"""The automatic part of an article's "See also" list.

Two published articles are related by the tags they share, each shared tag
weighing by how rare it is (inverse document frequency: ln(1 + N / df), with
N published articles and df of them carrying the tag). Scores are computed
when an article is published, re-tagged or unpublished and stored as
``RelatedArticle`` rows, so an article page reads its list with one indexed
query instead of counting tags on every view.

Cost is bounded however large a tag grows: for each of an article's tags only
the newest ``POSTINGS_PER_TAG`` published articles carrying it are taken as
candidates. A tag carried by fewer articles than that (the rare tags that
decide most lists) is searched in full; for a common tag the newest win,
which is also the tie-break readers see. Candidates are then scored exactly.
``python manage.py rebuild_see_also`` recomputes every list, for example
after a bulk import, when tag frequencies have shifted.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Min, Value, When
from taggit.models import TaggedItem

from articles.models import Article, PinnedLink, RelatedArticle, Status

SEE_ALSO_LIMIT = 5
STORED_PER_ARTICLE = 10
POSTINGS_PER_TAG = 500


@dataclass(frozen=True)
class Candidate:
    pk: int
    score: float
    same_category: bool
    published_at: object

    def sort_key(self):
        return (-self.score, not self.same_category, -self.published_at.timestamp(), self.pk)


def _article_type():
    return ContentType.objects.get_for_model(Article)


def _candidate_articles():
    # Scheduled articles take part now; readers' queries hide them until
    # their publish time comes, so no job has to run at that moment.
    return Article.objects.published_or_scheduled()


def tag_weights(tag_ids) -> dict[int, float]:
    """Weight of each tag: rarer tags (fewer published articles) weigh more."""
    if not tag_ids:
        return {}
    total = _candidate_articles().count()
    counts = dict(
        TaggedItem.objects.filter(
            content_type=_article_type(), tag_id__in=tag_ids, object_id__in=_candidate_articles().values("pk")
        )
        .values_list("tag_id")
        .annotate(n=Count("id"))
    )
    return {tag_id: math.log(1 + max(total, 1) / max(counts.get(tag_id, 0), 1)) for tag_id in tag_ids}


def score_candidates(article: Article) -> list[Candidate]:
    """Every published or scheduled article sharing a tag with ``article``, best first."""
    tag_ids = list(
        TaggedItem.objects.filter(content_type=_article_type(), object_id=article.pk).values_list("tag_id", flat=True)
    )
    weights = tag_weights(tag_ids)
    candidate_ids: set[int] = set()
    for tag_id in tag_ids:
        newest = (
            _candidate_articles()
            .filter(tags__id=tag_id)
            .exclude(pk=article.pk)
            .order_by("-published_at")
            .values_list("pk", flat=True)[:POSTINGS_PER_TAG]
        )
        candidate_ids.update(newest)
    if not candidate_ids:
        return []
    scores: dict[int, float] = defaultdict(float)
    shared = TaggedItem.objects.filter(
        content_type=_article_type(), object_id__in=candidate_ids, tag_id__in=tag_ids
    ).values_list("object_id", "tag_id")
    for object_id, tag_id in shared:
        scores[object_id] += weights[tag_id]
    rows = Article.objects.filter(pk__in=candidate_ids).values_list("pk", "category_id", "published_at")
    candidates = [
        Candidate(pk, scores[pk], category_id == article.category_id, published_at)
        for pk, category_id, published_at in rows
    ]
    return sorted(candidates, key=Candidate.sort_key)


@transaction.atomic
def refresh_see_also(article: Article) -> None:
    """Recompute ``article``'s stored list and its place in its neighbours' lists."""
    showing = set(RelatedArticle.objects.filter(related=article).values_list("article_id", flat=True))
    RelatedArticle.objects.filter(related=article).delete()
    if article.status != Status.PUBLISHED:
        RelatedArticle.objects.filter(article=article).delete()
        _refill(showing)
        return
    candidates = score_candidates(article)
    _store_list(article.pk, candidates)
    _offer_to_neighbours(article, candidates)
    # Lists that showed it but share no tag with it any more fill up again.
    _refill(showing - {c.pk for c in candidates})


def _store_list(article_id: int, candidates: list[Candidate]) -> None:
    RelatedArticle.objects.filter(article_id=article_id).delete()
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article_id=article_id, related_id=c.pk, score=c.score) for c in candidates[:STORED_PER_ARTICLE]
    )


def _offer_to_neighbours(article: Article, candidates: list[Candidate]) -> None:
    """Scores are symmetric: add ``article`` to each neighbour list it now belongs in."""
    by_pk = {c.pk: c for c in candidates}
    stats = (
        RelatedArticle.objects.filter(article_id__in=by_pk)
        .values("article_id")
        .annotate(lowest=Min("score"), stored=Count("id"))
    )
    full = {row["article_id"]: row["lowest"] for row in stats if row["stored"] >= STORED_PER_ARTICLE}
    joining = [pk for pk, c in by_pk.items() if pk not in full or c.score > full[pk]]
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article_id=pk, related=article, score=by_pk[pk].score) for pk in joining
    )
    _trim(joining)


def _trim(article_ids) -> None:
    """Keep only the best ``STORED_PER_ARTICLE`` rows of each list."""
    surplus = []
    rows = RelatedArticle.objects.filter(article_id__in=article_ids).order_by("article_id", "-score", "-pk")
    kept: dict[int, int] = defaultdict(int)
    for pk, article_id in rows.values_list("pk", "article_id"):
        kept[article_id] += 1
        if kept[article_id] > STORED_PER_ARTICLE:
            surplus.append(pk)
    if surplus:
        RelatedArticle.objects.filter(pk__in=surplus).delete()


def _refill(article_ids) -> None:
    for neighbour in _candidate_articles().filter(pk__in=article_ids).only("pk", "category_id"):
        _store_list(neighbour.pk, score_candidates(neighbour))


def rebuild_all(*, progress=None) -> int:
    """Recompute every published or scheduled article's list."""
    count = 0
    for article in _candidate_articles().only("pk", "category_id", "status", "published_at").iterator():
        with transaction.atomic():
            _store_list(article.pk, score_candidates(article))
        count += 1
        if progress:
            progress(count)
    return count


def see_also_for(article: Article) -> list[Article]:
    """The reader's "See also" list: pinned first, then the best scored.

    Two queries whatever the size of the site; unpublished and scheduled
    articles are filtered here, so stale stored rows never reach a page.
    """
    published = Article.objects.published()
    pinned = [
        link.target
        for link in PinnedLink.objects.filter(article=article, target__in=published)
        .select_related("target__category")
        .order_by("position", "pk")[:SEE_ALSO_LIMIT]
    ]
    room = SEE_ALSO_LIMIT - len(pinned)
    if room <= 0:
        return pinned
    automatic = (
        RelatedArticle.objects.filter(article=article, related__in=published)
        .exclude(related_id__in=[a.pk for a in pinned])
        .annotate(
            same_category=Case(
                When(related__category_id=article.category_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("related__category")
        .order_by("-score", "-same_category", "-related__published_at", "related_id")[:room]
    )
    return pinned + [row.related for row in automatic]
