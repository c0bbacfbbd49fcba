"""What the API answers, as types: django-ninja turns these into the OpenAPI 3.1 schema.

Views build plain dicts from rows they have already loaded and these types
check them on the way out, so a response cannot drift from its schema and
no field is read lazily from the database while serialising.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from drugs.models import Availability, Frequency, NameKind, Seriousness, Severity, Topic

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def one_of(choices) -> type:
    """The values of a model's choices as a ``Literal`` type, so the schema follows the model."""
    return Literal[tuple(choices.values)]  # type: ignore[valid-type]


MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class Error(Schema):
    detail: str = Field(
        description="What was wrong, in plain words.", examples=["cursor: not a cursor this list gave out."]
    )
    errors: list[dict[str, str]] = Field(
        default_factory=list,
        description="One entry per bad parameter: its name (`field`) and what was wrong with it (`message`).",
        examples=[[{"field": "limit", "message": "Input should be less than or equal to 100"}]],
    )


# --- Query parameters ------------------------------------------------------------------


class Filters(Schema):
    """Query parameters; a parameter not named here is refused with a 400 (``api.views.check_parameters``)."""


class PageParameters(Filters):
    cursor: str | None = Field(
        None, max_length=500, description="The `next_cursor` of the previous page; leave out for the first page."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


class ArticleFilters(PageParameters):
    category: str | None = Field(
        None,
        max_length=100,
        pattern=SLUG_PATTERN,
        description="A category's slug: its articles and its subcategories'.",
    )
    tag: str | None = Field(
        None,
        max_length=100,
        pattern=SLUG_PATTERN,
        description="A tag's slug. A tag and its aliases count as one: `imuran` also finds those tagged Azathioprine.",
    )
    drug: str | None = Field(
        None, max_length=120, pattern=SLUG_PATTERN, description="A drug's slug, or the slug of one of its other names."
    )
    updated_since: datetime | None = Field(
        None, description="Only articles changed at or after this time (ISO 8601; UTC when no offset is given)."
    )


class SearchParameters(Filters):
    q: str = Field(..., min_length=1, max_length=200, description="Words to look for.", examples=["azathioprine"])
    kind: Literal["article", "drug", "page"] | None = Field(
        None, description="Only articles, only drugs, or only the site's own pages."
    )
    category: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN, description="A category's slug.")
    tag: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN, description="A tag's slug.")
    page: int = Field(1, ge=1, le=50, description="Page of 20 results.")


class InteractionParameters(Filters):
    drugs: str = Field(
        ...,
        max_length=1100,
        description="Two to ten drug names or slugs, separated by commas (generic or brand names).",
        examples=["azathioprine,allopurinol"],
    )


# --- Shared pieces ---------------------------------------------------------------------


class Link(Schema):
    name: str = Field(description="As readers see it.", examples=["Pain relief"])
    slug: str = Field(description="Its identifier in this API and on the site.", examples=["pain-relief"])


class Review(Schema):
    reviewer: str = Field(description="The medical reviewer's name.", examples=["Dr Ada Lovelace"])
    credentials: str = Field(description="Their professional credentials, as readers see them.", examples=["MD"])
    last_reviewed: date = Field(description="When the content was last medically reviewed.")
    next_review_due: date | None = Field(description="When the next review is due, if set.")


class Reference(Schema):
    title: str
    publisher: str = Field(description="Empty when not recorded.")
    year: int | None
    url: str = Field(description="Empty when the source is not online.")
    accessed: date | None = Field(description="When the address was last checked.")


class Page(Schema):
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page.", examples=[None]
    )


# --- Articles --------------------------------------------------------------------------


class ArticleCard(Schema):
    slug: str = Field(examples=["azathioprine-and-the-liver"])
    title: str = Field(examples=["Azathioprine and the liver"])
    summary: str = Field(description="Plain text, one or two sentences.")
    url: str = Field(description="The article's page on the site (a path).", examples=["/articles/azathioprine/"])
    category: Link
    tags: list[Link] = Field(description="By name.")
    published_at: datetime
    updated_at: datetime


class ArticleList(Page):
    items: list[ArticleCard]


class Article(ArticleCard):
    body_html: str = Field(
        description="The article's body, sanitised HTML (headings, paragraphs, lists, links, images). Each image "
        'is `<img src="https://…" width="…" height="…" alt="…">` with an absolute `src` of a JPEG, PNG or GIF up '
        "to 1280 pixels wide, inside `<figure>` with a `<figcaption>` (caption and credit) when it stands alone; "
        "alt is empty for decoration. Every `<img>` has a `src`."
    )
    category_trail: list[Link] = Field(description="The category and those above it, top first.")
    drugs: list[Link] = Field(description="Published drugs the article covers.")
    references: list[Reference]
    review: Review | None = Field(description="The medical review; null when not yet reviewed.")


# --- Categories and tags -----------------------------------------------------------------


class CategoryNode(Schema):
    name: str
    slug: str
    description: str
    url: str
    children: list["CategoryNode"] = Field(description="Subcategories, in the site's order.")


class Tag(Schema):
    name: str = Field(examples=["Imuran"])
    slug: str = Field(examples=["imuran"])
    main: Link | None = Field(description="For an alias, the tag it stands for; null for a main tag.")
    aliases: list[Link] = Field(description="For a main tag, its other names.")


class TagList(Page):
    items: list[Tag]


# --- Drugs -------------------------------------------------------------------------------


class DrugCard(Schema):
    slug: str = Field(examples=["azathioprine"])
    generic_name: str = Field(examples=["azathioprine"])
    summary: str
    url: str
    availability: one_of(Availability)


class DrugList(Page):
    items: list[DrugCard]


class DrugName(Schema):
    name: str = Field(examples=["Imuran"])
    kind: one_of(NameKind) = Field(description="A brand name, another generic name, or another name.")
    slug: str


class DrugUse(Schema):
    condition: Link
    on_label: bool = Field(description="True for a licensed use; false for off-label use.")
    note: str


class SideEffect(Schema):
    name: str
    seriousness: one_of(Seriousness)
    what_to_do: str


class FrequencyBand(Schema):
    band: one_of(Frequency)
    label: str = Field(examples=["Common (up to 1 in 10 people)"])
    side_effects: list[SideEffect]


class PrecautionTopic(Schema):
    topic: one_of(Topic)
    label: str = Field(examples=["Pregnancy"])
    texts: list[str]


class InteractionPartner(Schema):
    kind: Literal["drug", "drug_class", "substance"]
    name: str = Field(examples=["allopurinol"])
    slug: str = Field(description="The drug's or class's slug; the substance's code.", examples=["allopurinol"])


class Interaction(Schema):
    severity: one_of(Severity)
    partner: InteractionPartner = Field(description="What the drug interacts with.")
    what_happens: str
    what_to_do: str
    reference_title: str
    reference_url: str


class Pharmacokinetics(Schema):
    absorption: str
    metabolism: str
    excretion: str


class Drug(DrugCard):
    names: list[DrugName] = Field(description="Brand and other names.")
    classes: list[Link]
    mechanism: str
    pharmacokinetics: Pharmacokinetics
    boxed_warning: str = Field(description="Empty when the drug carries none.")
    rxcui: str = Field(description="RxNorm ingredient RxCUI; empty when not recorded.")
    atc_code: str = Field(description="ATC code; empty when not recorded.")
    uses: list[DrugUse]
    side_effects: list[FrequencyBand] = Field(description="Grouped by how often they happen, most common first.")
    precautions: list[PrecautionTopic]
    interactions: list[Interaction] = Field(description="Worst first.")
    references: list[Reference]
    review: Review | None
    updated_at: datetime


class DrugGroup(Schema):
    name: str
    slug: str
    description: str
    url: str
    drugs: list[Link] = Field(description="Published drugs in it, by name.")


class DrugGroupList(Page):
    items: list[DrugGroup]


# --- Interaction check and search ----------------------------------------------------------


class Finding(Schema):
    severity: one_of(Severity)
    drug: Link = Field(description="One of the chosen drugs.")
    other: list[Link] = Field(description="The chosen drug(s) it interacts with.")
    via_class: Link | None = Field(description="The drug class through which it applies, if any.")
    what_happens: str
    what_to_do: str


class SubstanceWarning(Schema):
    drug: Link
    substance: Link
    severity: one_of(Severity)
    what_happens: str
    what_to_do: str


class InteractionCheck(Schema):
    drugs: list[Link] = Field(description="The drugs recognised, once each.")
    unknown: list[str] = Field(description="Names that match no published drug.")
    notes: list[str]
    findings: list[Finding] = Field(description="Interactions among the chosen drugs, worst first.")
    substances: list[SubstanceWarning] = Field(description="Interactions of the chosen drugs with alcohol, food...")


class SearchHit(Schema):
    kind: Literal["article", "drug", "page"]
    slug: str
    url: str
    title_html: str = Field(description="Escaped text with the matched words in `<mark>`.")
    summary_html: str
    excerpt_html: str = Field(description="A passage of the body around the match; empty when the body did not match.")
    category: Link | None
    published_at: datetime


class SearchSuggestion(Schema):
    q: str = Field(description="The corrected query, to search for.")
    label: str


class SearchResults(Schema):
    total: int = Field(description=f"Results, counting at most {1000}.")
    more: bool = Field(description="True when more matched than are counted.")
    page: int
    pages: int
    hits: list[SearchHit]
    suggestion: SearchSuggestion | None = Field(description="A spelling correction for a drug name, if any.")
