"""Who may do what to articles and drug pages.

Roles are Django groups (created by ``workflow/migrations/0002_roles.py``)
holding model permissions; the rules below add what a permission alone
cannot say: an author edits only their own drafts, a medical reviewer edits
content that is in review, a publisher edits anything and alone moves
content to and from "published". Superusers pass every check.
"""

from django.db import models

from articles.models import Status

AUTHOR = "Author"
MEDICAL_REVIEWER = "Medical reviewer"
PUBLISHER = "Publisher"

# The inline rows edited on an article's or drug's page travel with it.
ARTICLE_PARTS = ["reference", "pinnedlink"]
DRUG_PARTS = ["drugname", "druguse", "sideeffect", "precaution", "interaction", "drugreference"]


def _crud(app: str, model: str, actions=("add", "change", "delete", "view")) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


def _parts(app: str, models_: list[str]) -> list[str]:
    return [perm for model in models_ for perm in _crud(app, model)]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    AUTHOR: [
        *_crud("articles", "article", ("add", "change", "view")),
        *_parts("articles", ARTICLE_PARTS),
        "articles.view_category",
        *_crud("drugs", "drug", ("add", "change", "view")),
        *_parts("drugs", DRUG_PARTS),
        "drugs.view_drugclass",
        "drugs.view_condition",
    ],
    MEDICAL_REVIEWER: [
        *_crud("articles", "article", ("change", "view")),
        "articles.review_article",
        *_parts("articles", ARTICLE_PARTS),
        "articles.view_category",
        *_crud("drugs", "drug", ("change", "view")),
        "drugs.review_drug",
        *_parts("drugs", DRUG_PARTS),
        "drugs.view_drugclass",
        "drugs.view_condition",
        "workflow.view_transition",
    ],
    PUBLISHER: [
        *_crud("articles", "article"),
        "articles.publish_article",
        *_parts("articles", ARTICLE_PARTS),
        *_crud("articles", "category"),
        *_crud("articles", "tagalias"),
        *_crud("taggit", "tag"),
        *_crud("drugs", "drug"),
        "drugs.publish_drug",
        *_parts("drugs", DRUG_PARTS),
        *_crud("drugs", "drugclass"),
        *_crud("drugs", "condition"),
        "workflow.view_transition",
        "workflow.view_slugredirect",
        "workflow.delete_slugredirect",
    ],
}


def _perm(model: type[models.Model] | models.Model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def can_publish(user, model) -> bool:
    """Publish, schedule, unpublish, and edit content in any state."""
    return user.is_active and user.has_perm(_perm(model, "publish"))


def can_review(user, model) -> bool:
    """Edit content in review and sign it off as medically reviewed."""
    return user.is_active and user.has_perm(_perm(model, "review"))


def can_edit(user, obj) -> bool:
    """Whether ``user`` may change ``obj`` (None: whether they may change any at all)."""
    if not user.has_perm(_perm(obj, "change")):
        return False
    if obj is None or obj.pk is None or can_publish(user, obj):
        return True
    if obj.status == Status.IN_REVIEW and can_review(user, obj):
        return True
    return obj.status == Status.DRAFT and obj.author_id == user.pk


# From each state, the states a move can lead to, and who may make it.
_MOVES: dict[str, dict[str, str]] = {
    Status.DRAFT: {Status.IN_REVIEW: "editor", Status.PUBLISHED: "publisher"},
    Status.IN_REVIEW: {Status.DRAFT: "reviewer", Status.PUBLISHED: "publisher"},
    Status.PUBLISHED: {Status.UNPUBLISHED: "publisher", Status.DRAFT: "publisher"},
    Status.UNPUBLISHED: {Status.PUBLISHED: "publisher", Status.DRAFT: "publisher"},
}


def allowed_moves(user, obj) -> list[str]:
    """The states ``user`` may move ``obj`` to from its current state (never including it)."""
    moves = []
    for target, who in _MOVES.get(obj.status, {}).items():
        if who == "publisher":
            allowed = can_publish(user, obj)
        elif who == "reviewer":
            allowed = can_review(user, obj) or can_publish(user, obj)
        else:
            allowed = can_edit(user, obj)
        if allowed:
            moves.append(target)
    return moves


def may_move(user, obj, from_status: str, to_status: str) -> bool:
    if from_status == to_status:
        return True
    current = obj.status
    obj.status = from_status
    try:
        return to_status in allowed_moves(user, obj)
    finally:
        obj.status = current
