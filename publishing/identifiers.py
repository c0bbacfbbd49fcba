"""Identifiers that make a reference checkable: DOI, PubMed id (PMID) and FDA label set id (SPL set id).

Editors paste them in whatever form they copied: a DOI as ``https://doi.org/10.1056/...`` or ``doi:10.1056/...``,
a PMID as ``PMID: 12345678`` or its PubMed address, a label set id from a DailyMed address. ``normalize_*`` keeps
the bare identifier; ``validate_*`` refuses what is not one, with a message saying what was expected.
"""

import re
import uuid
from urllib.parse import quote

from django.core.exceptions import ValidationError

# Crossref's pattern for modern DOIs: "10.", a registrant code of 4-9 digits, "/", a suffix without spaces.
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"^(?:https?://pubmed\.ncbi\.nlm\.nih\.gov/|pmid:?\s*)", re.IGNORECASE)
_SETID_PREFIX = re.compile(r"^https?://dailymed\.nlm\.nih\.gov/dailymed/[^?]*\?(?:.*&)?setid=", re.IGNORECASE)
MAX_PMID_DIGITS = 9


def normalize_doi(value: str) -> str:
    return _DOI_PREFIX.sub("", (value or "").strip()).strip()


def normalize_pmid(value: str) -> str:
    return _PMID_PREFIX.sub("", (value or "").strip()).strip().rstrip("/")


def normalize_setid(value: str) -> str:
    value = _SETID_PREFIX.sub("", (value or "").strip()).split("&")[0].strip()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value


def validate_doi(value: str) -> None:
    if value and not _DOI.match(value):
        raise ValidationError(
            "Enter a DOI such as 10.1056/NEJMoa2034577 (it starts with 10., then digits, a slash and the rest).",
            code="invalid_doi",
        )


def validate_pmid(value: str) -> None:
    if value and not (value.isascii() and value.isdigit() and len(value) <= MAX_PMID_DIGITS and int(value) > 0):
        raise ValidationError("Enter a PubMed id (PMID): digits only, such as 33301246.", code="invalid_pmid")


def validate_setid(value: str) -> None:
    if not value:
        return
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        parsed = None
    if parsed is None or str(parsed) != value:
        raise ValidationError(
            "Enter the label's set id as shown on DailyMed: 36 characters such as "
            "3b4bb1e4-0d1f-4b9c-9d5e-7e8f6a5b4c3d.",
            code="invalid_setid",
        )


def doi_url(doi: str) -> str:
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else ""


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


def dailymed_url(setid: str) -> str:
    return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={setid}" if setid else ""
