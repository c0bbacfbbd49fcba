"""Page metadata for search engines and link previews: canonical URLs and JSON-LD.

Everything here is built from objects the page's view already loaded
(breadcrumbs, the article with its author, reviewer, category, tags and
drugs; the drug with its names, classes, precautions and interactions), so
metadata never adds a query to a page's budget.
"""

import json
import string

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article
from drugs.models import Availability, Drug, Substance
from images.markup import social_image
from publishing import identifiers

register = template.Library()

SCHEMA = "https://schema.org"
# Characters that could end a <script> element or start a comment in it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
PRESCRIPTION_STATUS = {
    Availability.PRESCRIPTION: "https://schema.org/PrescriptionOnly",
    Availability.OTC: "https://schema.org/OTC",
    Availability.BOTH: ["https://schema.org/OTC", "https://schema.org/PrescriptionOnly"],
}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's one address: scheme, host and path, plus ``?letter=`` and ``?page=`` beyond 1.

    Any other query string (tracking parameters, ``?page=1``) is dropped, so
    every piece of content has a single URL.
    """
    request = context.get("request")
    if request is None:  # error pages rendered without a request
        return ""
    params = []
    letter = request.GET.get("letter", "")
    if len(letter) == 1 and letter.upper() in string.ascii_uppercase:
        params.append(f"letter={letter.upper()}")
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        params.append(f"page={page.number}")
    query = f"?{'&'.join(params)}" if params else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag
def jsonld(data) -> str:
    """``data`` as a JSON-LD script element, safe to place in HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308  # nosec B308 B703  # JSON with <, >, & escaped (_SCRIPT_ESCAPES)


def _absolute(request, url: str | None) -> str | None:
    return request.build_absolute_uri(url) if url else None


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"@type": "Person", "name": user.get_full_name() or user.get_username()}


def _image_object(request, image) -> dict | None:
    """The featured image as an ``ImageObject`` (the rendition link previews use), or None without one."""
    if image is None:
        return None
    rendition = social_image(image)
    return _compact(
        {
            "@type": "ImageObject",
            "url": _absolute(request, rendition.url),
            "contentUrl": _absolute(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "caption": image.caption or image.alt,
            "creditText": image.credit,
        }
    )


def _compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


@register.simple_tag(takes_context=True)
def breadcrumb_data(context) -> dict:
    """A ``BreadcrumbList``: Home, then the page's breadcrumbs; the current page gets its own URL."""
    request = context.get("request")
    if request is None:
        return {}
    trail = [("Home", reverse("articles:home"))] + list(context.get("breadcrumbs") or [])
    here = canonical_url(context)
    items = []
    for position, (label, url) in enumerate(trail, start=1):
        item = _absolute(request, url) or here
        items.append({"@type": "ListItem", "position": position, "name": str(label), "item": item})
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": items}


@register.simple_tag(takes_context=True)
def article_data(context, article: Article) -> dict:
    """``MedicalWebPage`` for an article, with its medical review where it has one."""
    request = context["request"]
    url = canonical_url(context)
    data = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "headline": article.title,
        "image": _image_object(request, article.featured_image),
        "alternativeHeadline": article.seo_title if article.seo_title != article.title else "",
        "description": article.meta_description or article.summary,
        "inLanguage": settings.LANGUAGE_CODE,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "author": _person(article.author),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": _absolute(request, "/")},
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "about": [
            {"@type": "Drug", "name": drug.generic_name, "url": _absolute(request, drug.get_absolute_url())}
            for drug in article.drugs.all()
        ],
        "lastReviewed": article.last_reviewed,
        "reviewedBy": _person(article.reviewed_by) if article.last_reviewed else None,
        "citation": citations(article.references.all()),
    }
    return _compact(data)


@register.simple_tag(takes_context=True)
def page_data(context, page) -> dict:
    """``WebPage`` for a site page (About, Editorial policy...), with its featured image."""
    request = context["request"]
    url = canonical_url(context)
    data = {
        "@context": SCHEMA,
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "image": _image_object(request, page.featured_image),
        "description": page.meta_description or page.summary,
        "inLanguage": settings.LANGUAGE_CODE,
        "datePublished": page.published_at,
        "dateModified": page.updated_at,
        "lastReviewed": page.last_reviewed,
        "reviewedBy": _person(page.reviewed_by) if page.last_reviewed else None,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": _absolute(request, "/")},
    }
    return _compact(data)


def citations(references) -> list[dict]:
    """Each reference as a schema.org ``CreativeWork`` (``ScholarlyArticle`` when it has a DOI or PMID)."""
    found = []
    for ref in references:
        ids = [
            {"@type": "PropertyValue", "propertyID": name, "value": value}
            for name, value in (("DOI", ref.doi), ("PMID", ref.pmid), ("SPL set id", ref.spl_set_id))
            if value
        ]
        same_as = [
            address
            for address in (
                identifiers.doi_url(ref.doi),
                identifiers.pubmed_url(ref.pmid),
                identifiers.dailymed_url(ref.spl_set_id),
            )
            if address
        ]
        entry = {
            "@type": "ScholarlyArticle" if (ref.doi or ref.pmid) else "CreativeWork",
            "name": ref.title,
            "publisher": {"@type": "Organization", "name": ref.publisher} if ref.publisher else None,
            "datePublished": str(ref.year) if ref.year else None,
            "url": ref.url or (same_as[0] if same_as else None),
            "identifier": ids,
            "sameAs": same_as,
        }
        found.append(_compact(entry))
    return found


@register.simple_tag(takes_context=True)
def faq_data(context, article: Article) -> dict | None:
    """``FAQPage`` for an article's questions and answers (None without any); answers as their sanitised HTML.

    Reads the ``faq_items`` the article page prefetched: no query of its own.
    """
    items = list(article.faq_items.all())
    if not items:
        return None
    url = canonical_url(context)
    return {
        "@context": SCHEMA,
        "@type": "FAQPage",
        "@id": f"{url}#faq",
        "url": url,
        "mainEntity": [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": {"@type": "Answer", "text": item.answer},
            }
            for item in items
        ],
    }


@register.simple_tag(takes_context=True)
def drug_data(context, drug: Drug) -> dict:
    """A schema.org ``Drug`` from the drug page's context.

    Leaves out ``adverseOutcome`` (schema.org no longer applies it to Drug)
    and ``pregnancyCategory`` (the retired FDA letter categories).
    """
    request = context["request"]
    url = canonical_url(context)
    brand_names = [name.name for name in context.get("brand_names", [])]
    precautions = dict(context.get("precaution_groups", []))
    rows = context.get("interactions", [])
    data = {
        "@context": SCHEMA,
        "@type": "Drug",
        "@id": f"{url}#drug",
        "url": url,
        "name": drug.display_name,
        "nonProprietaryName": drug.generic_name,
        "proprietaryName": brand_names,
        "alternateName": [name.name for name in context.get("other_names", [])],
        "activeIngredient": drug.generic_name,
        "isProprietary": False,
        "image": _image_object(request, drug.featured_image),
        "description": drug.meta_description or drug.summary,
        "drugClass": [
            {"@type": "DrugClass", "name": drug_class.name, "url": _absolute(request, drug_class.get_absolute_url())}
            for drug_class in context.get("classes", [])
        ],
        "mechanismOfAction": drug.mechanism,
        "clinicalPharmacology": " ".join(filter(None, [drug.absorption, drug.metabolism, drug.excretion])),
        "warning": drug.boxed_warning,
        "prescriptionStatus": PRESCRIPTION_STATUS.get(drug.availability),
        "pregnancyWarning": _texts(precautions.get("Pregnancy")),
        "breastfeedingWarning": _texts(precautions.get("Breastfeeding")),
        "alcoholWarning": _substance_warning(rows, Substance.ALCOHOL),
        "foodWarning": _substance_warning(rows, Substance.FOOD),
        "interactingDrug": _interacting_drugs(request, drug, rows),
        "citation": citations(context.get("references", [])),
        "rxcui": drug.rxcui,
        "code": [
            {"@type": "MedicalCode", "codingSystem": system, "codeValue": value}
            for system, value in (("ATC", drug.atc_code), ("RxNorm", drug.rxcui))
            if value
        ],
        "mainEntityOfPage": _compact(
            {
                "@type": "MedicalWebPage",
                "@id": url,
                "lastReviewed": drug.last_reviewed,
                "reviewedBy": _person(drug.reviewed_by) if drug.last_reviewed else None,
                "dateModified": drug.updated_at,
            }
        ),
    }
    return _compact(data)


def _texts(precautions) -> str | None:
    return " ".join(precaution.text for precaution in precautions) if precautions else None


def _substance_warning(rows, substance: str) -> str | None:
    texts = [row["interaction"].what_happens for row in rows if row["interaction"].substance == substance]
    return " ".join(texts) or None


def _interacting_drugs(request, drug: Drug, rows) -> list[dict]:
    """The other drug of each drug-to-drug interaction on the page (not classes or substances)."""
    found = []
    for row in rows:
        interaction = row["interaction"]
        if interaction.drug_b_id:
            other = interaction.drug_b if interaction.drug_a_id == drug.pk else interaction.drug_a
        elif interaction.drug_class_id and interaction.drug_a_id != drug.pk:
            other = interaction.drug_a  # this drug is a member of the class the other drug interacts with
        else:
            continue
        entry = {"@type": "Drug", "name": other.generic_name, "url": _absolute(request, other.get_absolute_url())}
        if entry not in found:
            found.append(entry)
    return found
