"""The read API's endpoints, under /api/v1/.

Every endpoint starts from the same ``published()`` querysets as the pages, so
nothing a reader cannot see on the site can be reached here, whatever the
parameters. Each costs a fixed number of queries whatever the page size:
relations are prefetched and the JSON is built from rows already loaded.
"""

from collections import defaultdict
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from ninja import Path, Query
from taggit.models import Tag

from api import schemas
from api.errors import ApiError
from api.http import api, check_parameters, record_shown
from api.pagination import BY_GENERIC_NAME, BY_NAME, NEWEST_FIRST, keyset_page
from articles.models import Article, Category, TagAlias, TagPublication, category_tree
from drugs.models import Condition, Drug, DrugClass, Frequency, Interaction, Severity, Topic
from drugs.selectors import check_interactions, published_drugs_by_name, split_names
from images.embed import body_images, expand_images_absolute
from ops.dependencies import ARTICLES, CATEGORIES, DRUGS, TAGS
from search.services import QueryError, search_site

ERRORS = {400: schemas.Error, 404: schemas.Error}
SLUG = Path(..., max_length=200, pattern=schemas.SLUG_PATTERN, description="The slug, as in the site's address.")


def link(name: str, slug: str) -> dict:
    return {"name": name, "slug": slug}


def review_of(page) -> dict | None:
    """The medical review as readers see it under a page, or None when it has not been reviewed."""
    reviewer = page.reviewed_by
    if reviewer is None or page.last_reviewed is None:
        return None
    try:
        credentials = reviewer.reviewer_profile.credentials
    except ObjectDoesNotExist:
        credentials = ""
    return {
        "reviewer": reviewer.get_full_name() or reviewer.get_username(),
        "credentials": credentials,
        "last_reviewed": page.last_reviewed,
        "next_review_due": page.next_review_due,
    }


def reference(row) -> dict:
    return {field: getattr(row, field) for field in ("title", "publisher", "year", "url", "accessed")}


# --- Articles ------------------------------------------------------------------------------


def article_card(article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "url": article.get_absolute_url(),
        "category": link(article.category.name, article.category.slug),
        "tags": [link(tag.name, tag.slug) for tag in article.tag_list],
        "published_at": article.published_at,
        "updated_at": article.updated_at,
    }


def as_aware(moment: datetime) -> datetime:
    """A time read by raw SQL (SQLite gives it without a zone): stored in UTC."""
    return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment


def as_utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ApiError(400, "updated_since: out of range.") from None


def tag_group_ids(slug: str) -> list[int]:
    """The ids of the tag named by ``slug`` and of every other name of it (a main tag and its aliases)."""
    tag = Tag.objects.select_related("alias_of__main").filter(slug=slug).first()
    if tag is None:
        raise ApiError(400, "tag: no tag has this slug.", errors=[{"field": "tag", "message": "unknown tag"}])
    alias = getattr(tag, "alias_of", None)
    main_id = alias.main_id if alias else tag.pk
    group = [main_id, *TagAlias.objects.filter(main_id=main_id).values_list("tag_id", flat=True)]
    if not TagPublication.objects.filter(tag_id__in=group, published_at__lte=timezone.now()).exists():
        # As on the tag's page: a tag only drafts carry stays private.
        raise ApiError(400, "tag: no tag has this slug.", errors=[{"field": "tag", "message": "unknown tag"}])
    return group


def filtered_articles(filters: schemas.ArticleFilters):
    articles = Article.objects.published()
    lists = {ARTICLES}
    if filters.category:
        tree = category_tree()
        category = tree.by_slug.get(filters.category)
        if category is None:
            raise ApiError(
                400,
                "category: no category has this slug.",
                errors=[{"field": "category", "message": "unknown category"}],
            )
        articles = articles.filter(category_id__in=tree.subtree_ids(category))
        lists.add(CATEGORIES)
    if filters.tag:
        carrying = TagPublication.objects.filter(tag_id__in=tag_group_ids(filters.tag)).values("article_id")
        articles = articles.filter(pk__in=carrying)
        lists.add(TAGS)
    if filters.drug:
        drug = published_drugs_by_name([filters.drug]).get(slugify(filters.drug))
        if drug is None:
            raise ApiError(
                400, "drug: no published drug has this slug.", errors=[{"field": "drug", "message": "unknown drug"}]
            )
        articles = articles.filter(drugs=drug)
        lists.add(DRUGS)
    if filters.updated_since:
        articles = articles.filter(updated_at__gte=as_utc(filters.updated_since))
    return articles.for_listing(), lists


@api.get("/articles/", response={200: schemas.ArticleList, **ERRORS}, tags=["articles"])
def list_articles(request, filters: Query[schemas.ArticleFilters]):
    """Published articles, newest first, optionally narrowed by category, tag, drug and time of last change."""
    check_parameters(request, schemas.ArticleFilters.model_fields)
    articles, lists = filtered_articles(filters)
    page, next_cursor = keyset_page(articles, NEWEST_FIRST, cursor=filters.cursor, limit=filters.limit)
    record_shown(request, page, lists=lists)
    return {"items": [article_card(article) for article in page], "next_cursor": next_cursor}


@api.get("/articles/{slug}/", response={200: schemas.Article, **ERRORS}, tags=["articles"])
def get_article(request, slug: str = SLUG):
    """One published article with its body, tags, drugs, references and medical review."""
    check_parameters(request)
    article = (
        Article.objects.published()
        .select_related("reviewed_by__reviewer_profile")
        .prefetch_related("tags", "references", Prefetch("drugs", queryset=Drug.objects.published()))
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise ApiError(404, "No published article has this slug.")
    tree = category_tree()
    category = tree.by_pk[article.category_id]
    article.category = category
    article.tag_list = sorted(article.tags.all(), key=lambda tag: tag.name.casefold())
    trail, node = [], category
    while node is not None and len(trail) < len(tree.categories):
        trail.insert(0, node)
        node = node.parent
    record_shown(request, [article, trail], lists=set())
    return {
        **article_card(article),
        # Library images as plain <img> with an absolute src: clients never get a stored <img data-image>.
        "body_html": str(expand_images_absolute(article.body, body_images(article.body), request.build_absolute_uri)),
        "category_trail": [link(node.name, node.slug) for node in trail],
        "drugs": [link(drug.generic_name, drug.slug) for drug in article.drugs.all()],
        "references": [reference(row) for row in article.references.all()],
        "review": review_of(article),
    }


# --- Categories and tags ---------------------------------------------------------------------


@api.get("/categories/", response={200: list[schemas.CategoryNode], **ERRORS}, tags=["articles"])
def list_categories(request):
    """Every category as a tree: the top categories, each with its subcategories."""
    check_parameters(request)
    tree = category_tree()

    def node(category: Category) -> dict:
        children = [node(child) for child in tree.children(category)]
        return {**link(category.name, category.slug), "description": category.description,
                "url": category.get_absolute_url(), "children": children}  # fmt: skip

    record_shown(request, [], lists={CATEGORIES})
    return [node(category) for category in tree.roots()]


@api.get("/tags/", response={200: schemas.TagList, **ERRORS}, tags=["articles"])
def list_tags(request, filters: Query[schemas.PageParameters]):
    """Tags carried by at least one published article, by name, each with its main tag or its aliases."""
    check_parameters(request, schemas.PageParameters.model_fields)
    public = TagPublication.objects.filter(tag_id=OuterRef("pk"), published_at__lte=timezone.now())
    tags = Tag.objects.filter(Exists(public)).only("name", "slug")
    page, next_cursor = keyset_page(tags, BY_NAME, cursor=filters.cursor, limit=filters.limit)
    ids = [tag.pk for tag in page]
    main_of, aliases_of = {}, defaultdict(list)
    for alias in TagAlias.objects.filter(tag_id__in=ids).select_related("main"):
        main_of[alias.tag_id] = link(alias.main.name, alias.main.slug)
    for alias in TagAlias.objects.filter(main_id__in=ids).select_related("tag").order_by("tag__name"):
        aliases_of[alias.main_id].append(link(alias.tag.name, alias.tag.slug))
    record_shown(request, [], lists={TAGS, ARTICLES})
    items = [{**link(tag.name, tag.slug), "main": main_of.get(tag.pk), "aliases": aliases_of[tag.pk]} for tag in page]
    return {"items": items, "next_cursor": next_cursor}


# --- Drugs -----------------------------------------------------------------------------------


def drug_card(drug) -> dict:
    return {
        "slug": drug.slug,
        "generic_name": drug.generic_name,
        "summary": drug.summary,
        "url": drug.get_absolute_url(),
        "availability": drug.availability,
    }


@api.get("/drugs/", response={200: schemas.DrugList, **ERRORS}, tags=["drugs"])
def list_drugs(request, filters: Query[schemas.PageParameters]):
    """Published drugs by generic name."""
    check_parameters(request, schemas.PageParameters.model_fields)
    drugs = Drug.objects.published().only("slug", "generic_name", "summary", "availability", "updated_at")
    page, next_cursor = keyset_page(drugs, BY_GENERIC_NAME, cursor=filters.cursor, limit=filters.limit)
    record_shown(request, page, lists={DRUGS})
    return {"items": [drug_card(drug) for drug in page], "next_cursor": next_cursor}


def interaction_partner(interaction, drug) -> dict:
    """What ``drug`` interacts with in this record (as ``Interaction.other_side``)."""
    if interaction.drug_b_id and interaction.drug_b_id != drug.pk:
        other = interaction.drug_b
    elif interaction.drug_b_id or (interaction.drug_class_id and interaction.drug_a_id != drug.pk):
        other = interaction.drug_a  # ``drug`` is the second drug of a pair, or a member of the class
    elif interaction.drug_class_id:
        return {"kind": "drug_class", **link(interaction.drug_class.name, interaction.drug_class.slug)}
    else:
        return {"kind": "substance", **link(interaction.get_substance_display(), interaction.substance)}
    return {"kind": "drug", **link(other.generic_name, other.slug)}


def monograph_interactions(drug) -> list[dict]:
    rows = Interaction.objects.involving(drug).public_beside(drug).select_related("drug_a", "drug_b", "drug_class")
    found = [
        {
            "severity": row.severity,
            "partner": interaction_partner(row, drug),
            "what_happens": row.what_happens,
            "what_to_do": row.what_to_do,
            "reference_title": row.reference_title,
            "reference_url": row.reference_url,
        }
        for row in rows
    ]
    found.sort(key=lambda item: (Severity.rank_of(item["severity"]), item["partner"]["name"].casefold()))
    return found


def side_effect_bands(drug) -> list[dict]:
    by_band = defaultdict(list)
    for effect in drug.side_effects.all():
        by_band[effect.frequency].append(
            {"name": effect.name, "seriousness": effect.seriousness, "what_to_do": effect.what_to_do}
        )
    return [
        {"band": band.value, "label": band.label, "side_effects": by_band[band]} for band in Frequency if by_band[band]
    ]


def precaution_topics(drug) -> list[dict]:
    by_topic = defaultdict(list)
    for precaution in drug.precautions.all():
        by_topic[precaution.topic].append(precaution.text)
    return [
        {"topic": topic.value, "label": topic.label, "texts": by_topic[topic]} for topic in Topic if by_topic[topic]
    ]


@api.get("/drugs/{slug}/", response={200: schemas.Drug, **ERRORS}, tags=["drugs"])
def get_drug(request, slug: str = SLUG):
    """A published drug's full monograph."""
    check_parameters(request)
    drug = Drug.objects.published().for_page().filter(slug=slug).first()
    if drug is None:
        raise ApiError(404, "No published drug has this slug.")
    record_shown(request, drug, lists={DRUGS})
    return {
        **drug_card(drug),
        "names": [{"name": name.name, "kind": name.kind, "slug": name.slug} for name in drug.names.all()],
        "classes": [link(drug_class.name, drug_class.slug) for drug_class in drug.classes.all()],
        "mechanism": drug.mechanism,
        "pharmacokinetics": {"absorption": drug.absorption, "metabolism": drug.metabolism, "excretion": drug.excretion},
        "boxed_warning": drug.boxed_warning,
        "rxcui": drug.rxcui,
        "atc_code": drug.atc_code,
        "uses": [
            {"condition": link(use.condition.name, use.condition.slug), "on_label": use.on_label, "note": use.note}
            for use in drug.uses.all()
        ],
        "side_effects": side_effect_bands(drug),
        "precautions": precaution_topics(drug),
        "interactions": monograph_interactions(drug),
        "references": [reference(row) for row in drug.references.all()],
        "review": review_of(drug),
        "updated_at": drug.updated_at,
    }


def drug_groups(request, queryset, filters: schemas.PageParameters) -> dict:
    """A page of drug classes or conditions, each with its published drugs (two queries)."""
    check_parameters(request, schemas.PageParameters.model_fields)
    published = Drug.objects.published().only("slug", "generic_name").order_by("generic_name")
    groups = queryset.prefetch_related(Prefetch("drugs", queryset=published))
    page, next_cursor = keyset_page(groups, BY_NAME, cursor=filters.cursor, limit=filters.limit)
    record_shown(request, page, lists={DRUGS})
    items = [
        {
            **link(group.name, group.slug),
            "description": group.description,
            "url": group.get_absolute_url(),
            "drugs": [link(drug.generic_name, drug.slug) for drug in group.drugs.all()],
        }  # fmt: skip
        for group in page
    ]
    return {"items": items, "next_cursor": next_cursor}


@api.get("/drug-classes/", response={200: schemas.DrugGroupList, **ERRORS}, tags=["drugs"])
def list_drug_classes(request, filters: Query[schemas.PageParameters]):
    """Drug classes by name, each with its published drugs."""
    return drug_groups(request, DrugClass.objects.all(), filters)


@api.get("/conditions/", response={200: schemas.DrugGroupList, **ERRORS}, tags=["drugs"])
def list_conditions(request, filters: Query[schemas.PageParameters]):
    """Conditions by name, each with the published drugs used for it."""
    return drug_groups(request, Condition.objects.all(), filters)


# --- Interaction check and search ----------------------------------------------------------------


def drug_link(drug) -> dict:
    return link(drug.generic_name, drug.slug)


@api.get("/interactions/", response={200: schemas.InteractionCheck, **ERRORS}, tags=["drugs"])
def interaction_check(request, parameters: Query[schemas.InteractionParameters]):
    """Known interactions among two to ten drugs, as the site's interaction checker finds them."""
    check_parameters(request, schemas.InteractionParameters.model_fields)
    result = check_interactions(split_names([parameters.drugs]))
    errors = result.errors or ([] if result.checked else ["Choose at least two different drugs to check."])
    if errors:
        raise ApiError(400, " ".join(errors), errors=[{"field": "drugs", "message": error} for error in errors])
    record_shown(request, result.drugs, lists={DRUGS})
    findings = [
        {
            "severity": finding.interaction.severity,
            "drug": drug_link(finding.first),
            "other": [drug_link(drug) for drug in finding.second],
            "via_class": drug_link_of_class(finding.interaction) if finding.via_class else None,
            "what_happens": finding.interaction.what_happens,
            "what_to_do": finding.interaction.what_to_do,
        }
        for finding in result.findings
    ]
    substances = [
        {
            "drug": drug_link(row.drug_a),
            "substance": link(row.get_substance_display(), row.substance),
            "severity": row.severity,
            "what_happens": row.what_happens,
            "what_to_do": row.what_to_do,
        }
        for row in result.substance_interactions
    ]
    return {
        "drugs": [drug_link(drug) for drug in result.drugs],
        "unknown": result.unknown,
        "notes": result.notes,
        "findings": findings,
        "substances": substances,
    }


def drug_link_of_class(interaction) -> dict:
    return link(interaction.drug_class.name, interaction.drug_class.slug)


SEARCH_PER_PAGE = 20


@api.get("/search/", response={200: schemas.SearchResults, **ERRORS}, tags=["search"])
def search(request, parameters: Query[schemas.SearchParameters]):
    """Ranked results with the matched words highlighted, as the site's search finds them."""
    check_parameters(request, schemas.SearchParameters.model_fields)
    tree = category_tree()
    filters: dict = {"kind": parameters.kind}
    if parameters.category:
        category = tree.by_slug.get(parameters.category)
        if category is None:
            raise ApiError(400, "category: no category has this slug.")
        filters["category_ids"] = tuple(tree.subtree_ids(category))
    if parameters.tag:
        tag = Tag.objects.filter(slug=parameters.tag).first()
        if tag is None:
            raise ApiError(400, "tag: no tag has this slug.")
        filters["tag_id"] = tag.pk
        filters["tag_content_type_id"] = ContentType.objects.get_for_model(Article).pk
    try:
        outcome = search_site(text=parameters.q, page=parameters.page, per_page=SEARCH_PER_PAGE, **filters)
    except QueryError as error:
        raise ApiError(400, f"q: {error}") from None
    pages = max(1, -(-outcome.total // SEARCH_PER_PAGE))
    if parameters.page > pages:
        raise Http404("There is no such page of results.")
    by_id = tree.by_pk
    hits = [
        {
            "kind": hit.kind,
            "slug": hit.slug,
            "url": hit.get_absolute_url(),
            "title_html": str(hit.title_html),
            "summary_html": str(hit.summary_html),
            "excerpt_html": str(hit.excerpt_html),
            "category": link(by_id[hit.category_id].name, by_id[hit.category_id].slug)
            if hit.category_id in by_id
            else None,
            "published_at": as_aware(hit.published_at),
        }
        for hit in outcome.hits
    ]
    suggestion = outcome.suggestion
    return {
        "total": outcome.total,
        "more": outcome.more,
        "page": parameters.page,
        "pages": pages,
        "hits": hits,
        "suggestion": {"q": suggestion.query, "label": suggestion.label} if suggestion else None,
    }
