"""A system check that every publishable model keeps the publishing contract.

A content type that overrides ``Meta.constraints`` or ``Meta.indexes`` without the base ones,
names a title field it does not have, has no public address or replaces
the published queryset would quietly break review, sign-off or
visibility; ``manage.py check`` says so instead.
"""

from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from publishing.models import Publishable
from publishing.registry import publishable_models


@checks.register(checks.Tags.models)
def check_publishing_contract(app_configs=None, **kwargs):
    errors = []
    for model in publishable_models():
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        errors.extend(contract_errors(model))
    return errors


def _missing_base_parts(model, kind: str, one: str, check_id: str) -> list[checks.CheckMessage]:
    """An error for each of ``Publishable``'s constraints (or indexes) that ``model`` dropped."""
    have = {part.name for part in getattr(model._meta, kind)}
    errors = []
    for base in getattr(Publishable._meta, kind):
        wanted = base.name % {"class": model._meta.model_name, "app_label": model._meta.app_label}
        if wanted not in have:
            errors.append(
                checks.Error(
                    f"{model._meta.label} lacks the publishing {one} {wanted!r}.",
                    hint=f"Declare Meta.{kind} = [*Publishable.Meta.{kind}, ...].",
                    obj=model,
                    id=check_id,
                )
            )
    return errors


def contract_errors(model) -> list[checks.CheckMessage]:
    label = model._meta.label
    errors = [
        *_missing_base_parts(model, "constraints", "constraint", "publishing.E001"),
        *_missing_base_parts(model, "indexes", "index", "publishing.E005"),
    ]
    try:
        model._meta.get_field(model.title_field)
    except FieldDoesNotExist:
        errors.append(
            checks.Error(
                f"{label}.title_field names {model.title_field!r}, which is not a field.",
                obj=model,
                id="publishing.E002",
            )
        )
    if not callable(getattr(model, "get_absolute_url", None)):
        errors.append(
            checks.Error(
                f"{label} has no get_absolute_url(): readers need an address.", obj=model, id="publishing.E003"
            )
        )
    if not hasattr(model._default_manager, "published"):
        errors.append(
            checks.Error(
                f"{label}'s default manager has no published(): it must come from PublishableQuerySet.",
                obj=model,
                id="publishing.E004",
            )
        )
    return errors
