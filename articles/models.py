from typing import NamedTuple

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.db.models.query import ModelIterable
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from publishing import sql
from publishing.html import sanitize_html
from publishing.models import (
    EDITOR_EXTENSIONS,
    Publishable,
    PublishableQuerySet,
    TimeStampedModel,
)
from publishing.models import Reference as BaseReference
from publishing.shared_memo import SharedMemo
from publishing.slug_urls import slug_url, slug_url_maker


class Category(TimeStampedModel):
    name = models.CharField(max_length=100, unique=True, help_text="As readers see it, for example “Pain Relief”.")
    slug = models.SlugField(
        "web address", max_length=100, unique=True, help_text="The end of its address: /category/this-slug/."
    )
    description = models.TextField(blank=True, help_text="Plain text shown at the top of the category page.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="filed under",
        help_text="Optional: file this category under another one.",
    )
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Order in the list (lower first).")
    featured = models.BooleanField("on the home page", default=False, help_text="Show this category on the home page.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "category"
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="category_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:category", self.slug)

    def clean(self):
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A category cannot sit inside itself or one of its subcategories."})
            seen.add(node.pk)
            node = node.parent

    def subtree_ids(self) -> list[int]:
        """This category's id and those of every category below it (one query)."""
        return CategoryTree().subtree_ids(self)


def featured_categories() -> list[Category]:
    """The categories the home page features, in ``Category.Meta.ordering`` (from ``category_tree()``)."""
    return [category for category in category_tree().categories if category.featured]


def all_categories() -> list[Category]:
    """Every category, in ``Category.Meta.ordering``, read now (plain SQL, record-keeping times deferred:
    ``publishing/sql.py``). Pages use ``category_tree()``, which keeps them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.columns(Category, 'c', skip=sql.BOOKKEEPING)} FROM {sql.table(Category)} c"  # noqa: S608  # nosec B608  # names from model metadata
            " ORDER BY c.position, c.name"
        )
        return sql.instances(Category, cursor.fetchall(), skip=sql.BOOKKEEPING)


class CategoryTree:
    """Every category, loaded in one query, with parents and children linked in memory.

    Categories number in the tens however many articles there are, so a page
    that needs a category's subtree, subcategories or breadcrumb trail loads
    them all once rather than a query per level. Walking ``category.parent``
    up the tree then costs no query.
    """

    def __init__(self, categories=None):
        self.categories = all_categories() if categories is None else list(categories)
        self.by_pk = {category.pk: category for category in self.categories}
        self.by_slug = {category.slug: category for category in self.categories}
        self._children: dict[int | None, list[Category]] = {}
        for category in self.categories:
            self._children.setdefault(category.parent_id, []).append(category)
            if category.parent_id in self.by_pk:
                category.parent = self.by_pk[category.parent_id]
        for category in self.categories:
            category.child_list = self.children(category)  # for templates, which cannot pass an argument

    def roots(self) -> list[Category]:
        return self._children.get(None, [])

    def children(self, category: Category) -> list[Category]:
        return self._children.get(category.pk, [])

    def subtree_ids(self, category: Category) -> list[int]:
        """The category's id and those of every category below it."""
        found, frontier = set(), [category.pk]
        while frontier:
            found.update(frontier)
            frontier = [child.pk for pk in frontier for child in self._children.get(pk, []) if child.pk not in found]
        return sorted(found)


_kept_tree = SharedMemo(CategoryTree)


def category_tree() -> CategoryTree:
    """Every category as a ``CategoryTree``, kept by each process until a category changes
    (``publishing.shared_memo``; ``articles.signals`` forgets it). Shared by the process's requests: read-only."""
    return _kept_tree.get()


def forget_categories() -> None:
    """Have every process read the categories again (after any write to them)."""
    _kept_tree.forget()


class TagLink(NamedTuple):
    """A tag as a card shows it: a name linking to the tag's page (``url``)."""

    name: str
    slug: str
    url: str


class CardIterable(ModelIterable):
    """Articles, each given ``tag_list``: its tags as ``TagLink``, by name, from one query for them all.

    ``prefetch_related("tags")`` builds a Tag instance and a related manager
    for every tag of every card, about 40% of the time a 20-card page spent
    loading its articles; a card needs two strings per tag.
    """

    def __iter__(self):
        articles = list(super().__iter__())
        tag_lists = {article.pk: [] for article in articles}
        if articles:
            rows = (
                TaggedItem.objects.filter(
                    content_type=ContentType.objects.get_for_model(Article), object_id__in=list(tag_lists)
                )
                .order_by("tag__name")
                .values_list("object_id", "tag__name", "tag__slug")
            )
            tag_url = slug_url_maker("articles:tag")
            for article_id, name, slug in rows:
                tag_lists[article_id].append(TagLink(name, slug, tag_url(slug)))
        for article in articles:
            article.tag_list = tag_lists[article.pk]
            yield article


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self):
        """What an article card needs, fetched in a fixed number of queries (CardIterable adds the tags).

        The body (8-20 kB an article) is left in the database: a card never shows it.
        """
        clone = self.defer("body").select_related("category")
        clone._iterable_class = CardIterable
        return clone


class Article(Publishable):
    title = models.CharField(max_length=200, help_text="The headline readers see on the page and in listings.")
    slug = models.SlugField(
        "web address", max_length=200, unique=True, help_text="The end of its address: /articles/this-slug/."
    )
    summary = models.TextField(
        max_length=500,
        help_text="One or two plain sentences. Shown in listings and search results, and to search engines.",
    )
    body = ProseEditorField(
        extensions=EDITOR_EXTENSIONS,
        sanitize=sanitize_html,
        blank=True,
        help_text="The article. Headings, lists, quotes and links are kept; other pasted formatting is removed.",
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where readers find it in the site's sections. Tags add more ways in.",
    )
    tags = TaggableManager(blank=True, help_text="Start typing to pick existing tags; new tags are created.")
    drugs = models.ManyToManyField(
        "drugs.Drug", blank=True, related_name="articles", help_text="Drugs this article is about."
    )
    see_also = models.ManyToManyField(
        "self",
        through="PinnedLink",
        symmetrical=False,
        blank=True,
        related_name="pinned_by",
    )
    # The tag rows themselves, so revisions keep an article's tags and
    # deleting an article deletes its tag rows (taggit leaves them behind).
    tagged_items = GenericRelation(TaggedItem, related_query_name="article")
    # The public change log (changelog app): shown on the page, kept in its revisions.
    change_notes = GenericRelation("changelog.ChangeNote")

    objects = ArticleQuerySet.as_manager()

    # Authors upload the images they use: the library travels with the content that shows it.
    edited_with = (
        "articles.Reference",
        "articles.PinnedLink",
        "articles.FaqItem",
        "changelog.ChangeNote",
        "images.Image",
    )
    filed_under = ("articles.Category",)
    publisher_manages = ("articles.TagAlias", "taggit.Tag")
    # A change note is editorial: it describes the change that was reviewed, and needs no sign-off of its own.
    editorial_fields = (
        *Publishable.editorial_fields,
        "slug",
        "category",
        "tags",
        "see_also",
        "articles.PinnedLink",
        "changelog.ChangeNote",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        indexes = [
            *Publishable.Meta.indexes,
            # In the listings' order (newest first, then id), so a page is read off the index without sorting.
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_published"),
            models.Index(fields=["category", "status", "-published_at", "-id"], name="article_category_published"),
            # The admin's article list in its default order, unfiltered: read off the index, not sorted
            # (370 ms to 100 rows at 100,000 articles, bench/admin_times.py); also MIN/MAX for its dates.
            models.Index(fields=["-published_at", "-id"], name="article_published"),
        ]
        constraints = [*Publishable.Meta.constraints]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:article", self.slug)


class TagAlias(models.Model):
    """A tag that is another name for a main tag: "Imuran" for "Azathioprine".

    The alias keeps its own page, which lists the articles of both; "See also"
    scores count the two as one tag. A main tag cannot itself be an alias, so
    a group is always one main tag and its aliases.
    """

    tag = models.OneToOneField(
        Tag,
        on_delete=models.CASCADE,
        related_name="alias_of",
        verbose_name="alias",
        help_text="Another tag meaning the same, such as “Imuran” for “Azathioprine”.",
    )
    main = models.ForeignKey(
        Tag,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name="main tag",
        help_text="The tag it stands for.",
    )

    class Meta:
        ordering = ["main__name", "tag__name"]
        verbose_name = "tag alias"
        verbose_name_plural = "tag aliases"
        constraints = [models.CheckConstraint(condition=~Q(tag=models.F("main")), name="tag_alias_not_self")]

    def __str__(self):
        return f"{self.tag} → {self.main}"

    def clean(self):
        if self.tag_id and self.tag_id == self.main_id:
            raise ValidationError({"main": "A tag cannot be an alias of itself."})
        if self.main_id and TagAlias.objects.filter(tag_id=self.main_id).exists():
            raise ValidationError({"main": "That tag is itself an alias; choose its main tag."})
        if self.tag_id and TagAlias.objects.filter(main_id=self.tag_id).exists():
            raise ValidationError({"tag": "This tag has aliases of its own, so it cannot become an alias."})


class TagArticleCount(models.Model):
    """How many articles with status published (scheduled ones included) carry a tag.

    Kept by ``articles.counts`` so the tag index and tag pages never count
    a tag's articles while a reader waits.
    """

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, primary_key=True, related_name="published_count")
    articles = models.IntegerField(default=0)

    class Meta:
        ordering = ["tag__name"]
        verbose_name = "tag article count"
        verbose_name_plural = "tag article counts"

    def __str__(self):
        return f"{self.tag_id}: {self.articles}"


class TagPublication(models.Model):
    """A tag carried by a published article (scheduled ones included), with the article's publish time.

    Kept by ``articles.tag_publications``. A tag page lists its articles newest
    first: from taggit's rows that means sorting all of a tag's articles on
    every view (47,000 for the largest tag at 100,000 articles, 60 ms for a
    page in the middle). Here they sit in an index in that order, so any page
    of a tag is a short index scan.
    """

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "tag publication"
        verbose_name_plural = "tag publications"
        constraints = [models.UniqueConstraint(fields=["tag", "article"], name="tag_publication_once")]
        indexes = [models.Index(fields=["tag", "-published_at", "-article"], name="tag_publication_page_order")]

    def __str__(self):
        return f"{self.tag_id}: {self.article_id}"


class TagGroupPublication(models.Model):
    """An article listed on the page of a tag group (a main tag with aliases: "Azathioprine" and "Imuran"),
    once, under the group's main tag, with its publish time.

    Kept by ``articles.tag_groups`` from the ``TagPublication`` rows of the group's tags. Listed from
    those rows, a group's page merged and de-duplicated every article of the group on each view, and its count
    did the same; here a group's page is a short index scan, as any tag's is.
    """

    main = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "tag group publication"
        verbose_name_plural = "tag group publications"
        constraints = [models.UniqueConstraint(fields=["main", "article"], name="tag_group_publication_once")]
        indexes = [models.Index(fields=["main", "-published_at", "-article"], name="tag_group_page_order")]

    def __str__(self):
        return f"{self.main_id}: {self.article_id}"


class TagGroupArticleCount(models.Model):
    """How many articles a tag group lists, each once (its ``TagGroupPublication`` rows, scheduled ones included),
    kept by ``articles.tag_groups`` as those rows change: as ``TagArticleCount`` for one tag, so a group's page
    does not count its articles while a reader waits."""

    main = models.OneToOneField(Tag, on_delete=models.CASCADE, primary_key=True, related_name="group_published_count")
    articles = models.IntegerField(default=0)

    class Meta:
        verbose_name = "tag group article count"
        verbose_name_plural = "tag group article counts"

    def __str__(self):
        return f"{self.main_id}: {self.articles}"


class CategoryArticleCount(models.Model):
    """How many articles with status published (scheduled ones included) are filed directly in a category."""

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, primary_key=True, related_name="published_count"
    )
    articles = models.IntegerField(default=0)

    class Meta:
        ordering = ["category__name"]
        verbose_name = "category article count"
        verbose_name_plural = "category article counts"

    def __str__(self):
        return f"{self.category_id}: {self.articles}"


class PinnedLink(models.Model):
    """An editor's choice for an article's "See also" list, in their order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pinned_links")
    target = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name="article", help_text="Type to find it."
    )
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Order in the list (lower first).")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "pinned 'See also' link"
        verbose_name_plural = "pinned 'See also' links"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="pinned_link_once"),
            models.CheckConstraint(condition=~Q(article=models.F("target")), name="pinned_link_not_self"),
        ]

    def __str__(self):
        return f"{self.article} → {self.target}"

    def clean(self):
        if self.article_id is not None and self.article_id == self.target_id:
            raise ValidationError({"target": "An article cannot be in its own 'See also' list."})


class RelatedArticle(models.Model):
    """A precomputed "See also" candidate: how much two articles' tags overlap.

    Rows are written by ``articles.related`` when an article is published or
    re-tagged, so reading an article page never counts tags.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_scores")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_once"),
            models.CheckConstraint(condition=~Q(article=models.F("related")), name="related_article_not_self"),
        ]
        indexes = [models.Index(fields=["article", "-score"], name="related_article_score")]

    def __str__(self):
        return f"{self.article} ~ {self.related} ({self.score:.2f})"


class Reference(BaseReference):
    """A citation backing an article's claims."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")

    class Meta(BaseReference.Meta):
        pass


# An answer is short: paragraphs, lists, emphasis and links, no headings (the question is the heading) or tables.
FAQ_EDITOR_EXTENSIONS = {
    name: options
    for name, options in EDITOR_EXTENSIONS.items()
    if name not in {"Heading", "Blockquote", "HorizontalRule", "Table", "TableRow", "TableHeader", "TableCell"}
}


class FaqItem(models.Model):
    """A question and its answer at the end of an article, shown as a list of questions and as FAQPage data."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="faq_items")
    question = models.CharField(
        max_length=300, help_text="As a reader would ask it, for example “Can I drink alcohol while taking it?”"
    )
    answer = ProseEditorField(
        extensions=FAQ_EDITOR_EXTENSIONS,
        sanitize=sanitize_html,
        help_text="A short, plain answer. Lists and links are kept.",
    )
    position = models.PositiveSmallIntegerField("order", default=0, help_text="Order in the list (lower first).")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "question and answer"
        verbose_name_plural = "questions and answers"

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer = sanitize_html(self.answer)
        super().save(*args, **kwargs)
