"""Demo categories and articles (placeholder, replaced by the full demo set)."""

from datetime import UTC, datetime

CATEGORIES = [
    {"name": "Pain Relief", "slug": "pain-relief", "description": "Medicines and approaches for pain.", "featured": True},
]

ARTICLES = [
    {
        "title": "Imuran (azathioprine)",
        "slug": "imuran-azathioprine",
        "category": "pain-relief",
        "tags": ["Imuran", "Azathioprine"],
        "summary": "Placeholder.",
        "body": "<p>Placeholder.</p>",
        "drugs": ["azathioprine"],
        "published_at": datetime(2026, 10, 1, 9, 0, tzinfo=UTC),
        "references": [],
        "pinned": [],
    },
]
