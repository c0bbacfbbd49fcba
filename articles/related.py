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

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, IntegerField, Min, OuterRef, Q, Value, When
from taggit.models import TaggedItem

from articles.cards import CardCategory
from articles.models import Article, Category, PinnedLink, RelatedArticle
from publishing import sql
from publishing.bulk import refresh_planner_statistics
from publishing.models import Status
from publishing.slug_urls import slug_url_maker

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


def rarity_weight(*, total: int, carriers: int) -> float:
    """How much sharing a tag counts: ln(1 + N / df), so rarer tags weigh more."""
    return math.log(1 + max(total, 1) / max(carriers, 1))


def tag_groups(tag_ids) -> dict[int, set[int]]:
    """Each of ``tag_ids`` as its main tag, with every tag standing for it: ``{main id: {main, aliases}}``.

    An alias ("Imuran") and its main tag ("Azathioprine") count as one tag for
    "See also": sharing either is sharing the tag. One query.
    """
    from articles.models import TagAlias

    tag_ids = set(tag_ids)
    rows = (
        TagAlias.objects.filter(Q(tag_id__in=tag_ids) | Q(main_id__in=tag_ids) | Q(main__aliases__tag_id__in=tag_ids))
        .values_list("tag_id", "main_id")
        .distinct()
    )
    main_of = dict(rows)
    groups: dict[int, set[int]] = {}
    for tag_id in tag_ids:
        main = main_of.get(tag_id, tag_id)
        groups.setdefault(main, {main})
    for alias, main in main_of.items():
        if main in groups:
            groups[main].add(alias)
    return groups


class TagProfile:
    """An article's tags as "See also" scores them: alias groups and their weights.

    Built with a handful of queries; ``scores`` then prices any set of other
    articles exactly in one more.
    """

    def __init__(self, tag_ids, *, article_id: int | None = None):
        self.article_id = article_id
        self.groups = tag_groups(tag_ids)
        self.main_of = {member: main for main, members in self.groups.items() for member in members}
        self.total = _candidate_articles().count()
        self.carriers = self._count_carriers()
        self.weights = {
            main: rarity_weight(total=self.total, carriers=self.carriers.get(main, 0)) for main in self.groups
        }

    @classmethod
    def of_article(cls, article_id: int) -> "TagProfile":
        own = TaggedItem.objects.filter(content_type=_article_type(), object_id=article_id)
        return cls(list(own.values_list("tag_id", flat=True)), article_id=article_id)

    def weight_of(self, tag_id: int) -> float:
        return self.weights[self.main_of[tag_id]]

    def _count_carriers(self) -> dict[int, int]:
        """How many published or scheduled articles carry each group (any of its names)."""
        if not self.groups:
            return {}
        group_of = Case(
            *(When(tag_id__in=members, then=Value(main)) for main, members in self.groups.items()),
            output_field=IntegerField(),
        )
        counts = (
            # From the tags' own rows to their articles: joining the other way
            # round made SQLite visit every published article (bench/see_also.py).
            TaggedItem.objects.filter(content_type=_article_type(), tag_id__in=list(self.main_of))
            .filter(Exists(_candidate_articles().filter(pk=OuterRef("object_id"))))
            .annotate(group=group_of)
            .values_list("group")
            .annotate(n=Count("object_id", distinct=True))
            .order_by()
        )
        return dict(counts)

    def candidate_ids(self) -> set[int]:
        """The newest ``POSTINGS_PER_TAG`` other articles of each group."""
        found: set[int] = set()
        for main, members in self.groups.items():
            found.update(self._newest_carrying(members, self.carriers.get(main, 0)))
        found.discard(self.article_id)
        return found

    def _newest_carrying(self, members, carriers: int):
        # Two plans, picked by how common the tag is. A common tag walks the
        # publish-time index newest first and probes taggit's unique index
        # for each article, stopping after POSTINGS_PER_TAG hits; a rarer one
        # starts from its own rows and sorts them. The walk wins once
        # carriers**2 > POSTINGS_PER_TAG * total (measured by bench/see_also.py).
        articles = _candidate_articles().exclude(pk=self.article_id)
        if carriers * carriers > POSTINGS_PER_TAG * self.total:
            carrying = TaggedItem.objects.filter(
                content_type=_article_type(), object_id=OuterRef("pk"), tag_id__in=members
            )
            articles = articles.filter(Exists(carrying))
        else:
            articles = articles.filter(
                pk__in=TaggedItem.objects.filter(content_type=_article_type(), tag_id__in=members).values("object_id")
            )
        return articles.order_by("-published_at").values_list("pk", flat=True)[:POSTINGS_PER_TAG]

    def scores(self, article_ids) -> dict[int, float]:
        """Exact shared-tag score of each of ``article_ids`` that shares a group."""
        if not article_ids or not self.groups:
            return {}
        shared: dict[int, set[int]] = defaultdict(set)
        rows = TaggedItem.objects.filter(
            content_type=_article_type(), object_id__in=list(article_ids), tag_id__in=list(self.main_of)
        ).values_list("object_id", "tag_id")
        for object_id, tag_id in rows:
            shared[object_id].add(self.main_of[tag_id])  # both names of one tag count once
        # Summed in a fixed order so equal overlaps give identical floats and
        # the category and date tie-breaks decide, not rounding.
        return {pk: sum(self.weights[main] for main in sorted(mains)) for pk, mains in shared.items()}


def tag_weights(tag_ids) -> dict[int, float]:
    """Weight of each of ``tag_ids``: rarer tags (fewer articles carry them) weigh more."""
    profile = TagProfile(tag_ids)
    return {tag_id: profile.weight_of(tag_id) for tag_id in tag_ids}


def score_candidates(article: Article, profile: TagProfile | None = None) -> list[Candidate]:
    """Published or scheduled articles sharing a tag (or an alias of it) with ``article``, best first."""
    profile = profile or TagProfile.of_article(article.pk)
    scores = profile.scores(profile.candidate_ids())
    rows = Article.objects.filter(pk__in=list(scores)).values_list("pk", "category_id", "published_at")
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
    profile = TagProfile.of_article(article.pk)
    candidates = score_candidates(article, profile)
    _store_list(article.pk, candidates)
    # Lists that showed it keep it at its new score while they still share a
    # tag (even beyond the newest candidates); the others fill up again.
    outside = showing - {c.pk for c in candidates}
    still_sharing = profile.scores(outside)
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article_id=pk, related=article, score=score) for pk, score in still_sharing.items()
    )
    _offer_to_neighbours(article, candidates)
    _refill(outside - set(still_sharing))


def _store_list(article_id: int, candidates: list[Candidate]) -> None:
    RelatedArticle.objects.filter(article_id=article_id).delete()
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article_id=article_id, related_id=c.pk, score=c.score) for c in candidates[:STORED_PER_ARTICLE]
    )


def _offer_to_neighbours(article: Article, candidates: list[Candidate]) -> None:
    """Scores are symmetric: add ``article`` to each neighbour list it now belongs in."""
    by_pk = {c.pk: c for c in candidates}
    stats = (
        RelatedArticle.objects.filter(article_id__in=list(by_pk))
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
    for neighbour in _candidate_articles().filter(pk__in=list(article_ids)).only("pk", "category_id"):
        _store_list(neighbour.pk, score_candidates(neighbour))


def rebuild_all(*, progress=None, batch_size: int = 5000) -> int:
    """Recompute every published or scheduled article's list in one in-memory pass.

    Same candidates and scores as ``score_candidates`` (the newest
    ``POSTINGS_PER_TAG`` other articles of each tag group, scored exactly),
    but from one read of the (article, tag) pairs instead of queries per
    article: 100,000 lists in about 7.5 minutes and 171 MB on SQLite (bench/see_also.py).
    """
    index = _TagIndex.load()
    count = 0
    with transaction.atomic():
        RelatedArticle.objects.all().delete()
        batch: list[RelatedArticle] = []
        for article_id, best in index.lists():
            batch.extend(RelatedArticle(article_id=article_id, related_id=pk, score=score) for pk, score in best)
            count += 1
            if len(batch) >= batch_size:
                RelatedArticle.objects.bulk_create(batch)
                batch = []
            if progress:
                progress(count)
        RelatedArticle.objects.bulk_create(batch)
    # Every row is new: without fresh statistics PostgreSQL kept planning the page's "See also" statement anew
    # on each request (its generic plan looked dearer than custom ones), 0.4 ms of a 7 ms page.
    refresh_planner_statistics([RelatedArticle])
    return count


class _TagIndex:
    """Every article's tag groups and each group's carriers, newest first, in memory."""

    def __init__(self, rows, pairs, main_of):
        rows.sort(key=lambda row: (-row[2].timestamp(), row[0]))  # rank 0 is the newest
        self.pk_of = [pk for pk, _, _ in rows]
        self.category_of = [category_id for _, category_id, _ in rows]
        rank = {pk: i for i, pk in enumerate(self.pk_of)}
        self.groups_of: list[set[int]] = [set() for _ in rows]
        for object_id, tag_id in pairs:
            i = rank.get(object_id)
            if i is not None:
                self.groups_of[i].add(main_of.get(tag_id, tag_id))
        carriers: dict[int, list[int]] = defaultdict(list)
        for i, groups in enumerate(self.groups_of):
            for group in groups:
                carriers[group].append(i)  # ascending rank: newest first
        total = len(rows)
        self.weights = {g: rarity_weight(total=total, carriers=len(ranks)) for g, ranks in carriers.items()}
        self.members = {g: set(ranks) for g, ranks in carriers.items()}
        self.head = {g: ranks[: POSTINGS_PER_TAG + 1] for g, ranks in carriers.items()}

    def _newest_others(self, group: int, i: int) -> list[int]:
        """The newest POSTINGS_PER_TAG carriers of ``group`` other than article ``i``."""
        head = self.head[group]
        if i <= head[-1]:  # ranks ascend and i carries the group, so it is in the head
            return [rank for rank in head if rank != i]
        return head[:POSTINGS_PER_TAG]

    @classmethod
    def load(cls) -> "_TagIndex":
        from articles.models import TagAlias

        rows = list(_candidate_articles().values_list("pk", "category_id", "published_at"))
        pairs = TaggedItem.objects.filter(content_type=_article_type()).values_list("object_id", "tag_id")
        main_of = dict(TagAlias.objects.values_list("tag_id", "main_id"))
        return cls(rows, pairs.iterator(chunk_size=20000), main_of)

    def lists(self):
        """Yield ``(article id, [(related id, score), ...])`` best first, for every article."""
        for i, groups in enumerate(self.groups_of):
            candidates: set[int] = set()
            for group in groups:
                candidates.update(self._newest_others(group, i))
            if not candidates:
                continue
            scores = dict.fromkeys(candidates, 0.0)
            for group in sorted(groups):  # a fixed order, as in TagProfile.scores
                weight = self.weights[group]
                for c in candidates & self.members[group]:
                    scores[c] += weight
            # Only scores from the STORED_PER_ARTICLE-th best up can make the
            # list (ties at that score all stay for the tie-breaks below).
            cutoff = heapq.nlargest(STORED_PER_ARTICLE, scores.values())[-1]
            same = self.category_of[i]
            best = heapq.nsmallest(
                STORED_PER_ARTICLE,
                ((-score, self.category_of[c] != same, c) for c, score in scores.items() if score >= cutoff),
            )
            yield self.pk_of[i], [(self.pk_of[c], -neg) for neg, _, c in best]


@dataclass(frozen=True, slots=True)
class SeeAlsoLink:
    """One entry of a "See also" list: what the list shows of an article (its title, address and category)."""

    pk: int
    title: str
    url: str
    category: CardCategory

    def get_absolute_url(self) -> str:
        return self.url

    def shown_rows(self):
        """(model label, pk) of the rows the entry shows: what a cached page holding it depends on."""
        yield Article._meta.label_lower, self.pk
        yield Category._meta.label_lower, self.category.pk


def see_also_for(article: Article) -> list[SeeAlsoLink]:
    """The reader's "See also" list: pinned first, then the best scored.

    One query whatever the size of the site, written as plain SQL (composing the
    ORM's two statements cost four times the article page's other queries:
    ``publishing/sql.py``). Articles a reader cannot see are filtered here, so
    stale stored rows never reach a page. Each entry is a plain ``SeeAlsoLink``:
    making model instances for the five entries was a tenth of the article page's time.
    """
    published, published_params = sql.published_where("a")
    statement = _see_also_statement(published)
    # Enough scored rows to fill the list even when every pinned article is among them too.
    params = [article.pk, *published_params, article.pk, *published_params, article.category_id]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    pinned, scored = [], []
    for row in rows:
        source, key1, key2, pk, _title, _slug, published_at, category_id, *_category = row
        if source == 0:  # by position, then link id
            pinned.append(((key1, key2), pk, row))
        else:  # best score, then the page's own category, then newest, then id: as the statement orders them
            same = category_id == article.category_id
            scored.append(((-key1, not same, -sql.aware(published_at).timestamp(), key2), pk, row))
    pinned.sort(key=lambda entry: entry[0])
    scored.sort(key=lambda entry: entry[0])
    article_url, category_url = slug_url_maker("articles:article"), slug_url_maker("articles:category")
    listed, taken = [], set()
    for _, pk, row in pinned + scored:
        if pk not in taken and len(listed) < SEE_ALSO_LIMIT:
            taken.add(pk)
            title, slug, _, category_id, category_name, category_slug = row[4:]
            category = CardCategory(category_id, category_name, category_slug, category_url(category_slug))
            listed.append(SeeAlsoLink(pk, title, article_url(slug), category))
    return listed


@cache
def _see_also_statement(published: str) -> str:
    """Pinned links (their order) and scored ones (best first), each with the article and its category's name."""
    shown = "a.id, a.title, a.slug, a.published_at, a.category_id, c.name, c.slug"
    article, category = sql.table(Article), sql.table(Category)
    pinned = (
        f"SELECT 0, p.position, p.id, {shown} FROM {sql.table(PinnedLink)} p"  # noqa: S608  # nosec B608  # names from model metadata; values bound
        f" INNER JOIN {article} a ON a.id = p.target_id INNER JOIN {category} c ON c.id = a.category_id"
        f" WHERE p.article_id = %s AND {published} ORDER BY p.position, p.id LIMIT {SEE_ALSO_LIMIT}"
    )
    scored = (
        f"SELECT 1, r.score, r.related_id, {shown} FROM {sql.table(RelatedArticle)} r"  # noqa: S608  # nosec B608  # names from model metadata; values bound
        f" INNER JOIN {article} a ON a.id = r.related_id INNER JOIN {category} c ON c.id = a.category_id"
        f" WHERE r.article_id = %s AND {published} ORDER BY r.score DESC,"
        " CASE WHEN a.category_id = %s THEN 1 ELSE 0 END DESC, a.published_at DESC, r.related_id"
        f" LIMIT {2 * SEE_ALSO_LIMIT}"
    )
    return f"SELECT * FROM ({pinned}) pinned UNION ALL SELECT * FROM ({scored}) scored"  # noqa: S608  # nosec B608  # constants
