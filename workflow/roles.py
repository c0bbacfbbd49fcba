"""Who may do what to publishable content (articles, drug pages, and any type added later).

Roles are Django groups holding model permissions, brought up to date after
every ``migrate`` from the installed publishable models; the rules below add
what a permission alone cannot say: an author edits only their own drafts, a
medical reviewer edits content that is in review, a publisher edits anything and alone moves
content to and from "published". Superusers pass every check.
"""

from django.apps import apps
from django.db import models

from publishing.models import Status
from publishing.registry import publishable_models

AUTHOR = "Author"
MEDICAL_REVIEWER = "Medical reviewer"
PUBLISHER = "Publisher"
ROLES = (AUTHOR, MEDICAL_REVIEWER, PUBLISHER)


def _model_perms(label: str, actions=("add", "change", "delete", "view")) -> list[str]:
    """``app.action_model`` for a model given as ``"app.Model"``."""
    app_label, model_name = label.lower().split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


def _perms_of(labels, actions=("add", "change", "delete", "view")) -> list[str]:
    return [perm for label in labels for perm in _model_perms(label, actions)]


def role_permissions() -> dict[str, list[str]]:
    """Each role's permissions over every installed publishable model (``publishing.registry``).

    A model's inline rows (``edited_with``) travel with it; what files it
    (``filed_under``: categories, drug classes) is managed by publishers and
    seen by the other roles; ``publisher_manages`` is for publishers alone.
    """
    grants: dict[str, list[str]] = {role: [] for role in ROLES}
    for model in publishable_models():
        label = model._meta.label
        parts = _perms_of(model.edited_with)
        grants[AUTHOR] += [*_model_perms(label, ("add", "change", "view")), *parts]
        grants[AUTHOR] += _perms_of(model.filed_under, ("view",))
        grants[MEDICAL_REVIEWER] += [*_model_perms(label, ("change", "view", "review")), *parts]
        grants[MEDICAL_REVIEWER] += _perms_of(model.filed_under, ("view",))
        grants[PUBLISHER] += [*_model_perms(label, ("add", "change", "delete", "view", "publish")), *parts]
        grants[PUBLISHER] += _perms_of([*model.filed_under, *model.publisher_manages])
    grants[MEDICAL_REVIEWER] += ["workflow.view_transition"]
    # Everyone who fixes pages may read the link checker's broken-links report (the review queue links to it).
    for role in ROLES:
        grants[role] += ["linkcheck.view_brokenlink"]
    grants[PUBLISHER] += ["workflow.view_transition", "workflow.view_slugredirect", "workflow.delete_slugredirect"]
    # The plain-English hints beside the editor: publishers keep the list.
    grants[PUBLISHER] += _perms_of(["readability.GlossaryTerm"])
    return {role: list(dict.fromkeys(perms)) for role, perms in grants.items()}


def sync_roles() -> None:
    """Create the role groups and give each exactly its permissions (missing permissions are skipped)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Permission.objects.none()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """After ``migrate`` (and flush): once, when every app's permissions exist, bring the roles up to date.

    Django creates each app's permissions as it signals that app; the last
    app signalled is the last installed app with models.
    """
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last:
        sync_roles()


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
    # Edits to an author's published page wait for review as pending changes (workflow.pending);
    # in review, the page is the reviewer's: the author may only withdraw it.
    return obj.status in (Status.DRAFT, Status.PUBLISHED) and obj.author_id == user.pk


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
            # Sending back is a reviewer's call; withdrawing a submission is the author's.
            allowed = can_review(user, obj) or can_publish(user, obj) or _withdraws(user, obj)
        else:
            allowed = can_edit(user, obj)
        if allowed:
            moves.append(target)
    return moves


def _withdraws(user, obj) -> bool:
    return obj.status == Status.IN_REVIEW and obj.author_id == user.pk and user.has_perm(_perm(obj, "change"))


def may_move(user, obj, from_status: str, to_status: str) -> bool:
    if from_status == to_status:
        return True
    current = obj.status
    obj.status = from_status
    try:
        return to_status in allowed_moves(user, obj)
    finally:
        obj.status = current


def role_label(user) -> str:
    """The role(s) ``user`` works in, as the admin header shows them: "Medical reviewer", "Superuser"."""
    if user.is_superuser:
        return "Superuser"
    names = {group.name for group in user.groups.all()}
    held = [role for role in ROLES if role in names]
    return ", ".join(held) if held else "Staff"


# The fields of publishable content that name a person, and the permission each person must hold on the content.
PEOPLE_FIELDS = {"author": "add", "reviewed_by": "review"}


def may_pick_people(user, model, field_name: str) -> bool:
    """Whether ``user`` may search people to put in ``field_name`` of ``model`` (the admin's autocomplete).

    Only those who may set the field: publishers (``workflow.forms`` locks it for everyone else).
    """
    return field_name in PEOPLE_FIELDS and model in publishable_models() and can_publish(user, model)


def people_for(model, field_name: str):
    """The active users who may be named in ``field_name`` of ``model``: authors may write it, reviewers review it."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    app_label, model_name = model._meta.app_label, model._meta.model_name
    codename = f"{PEOPLE_FIELDS[field_name]}_{model_name}"
    perm = Q(permissions__content_type__app_label=app_label, permissions__codename=codename)
    holders = get_user_model().objects.filter(
        Q(is_superuser=True)
        | Q(groups__in=_groups_with(perm))
        | Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
    )
    return get_user_model().objects.filter(is_active=True, is_staff=True, pk__in=holders.values("pk"))


def _groups_with(perm):
    from django.contrib.auth.models import Group

    return Group.objects.filter(perm).values("pk")
