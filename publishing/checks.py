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


def contract_errors(model) -> list[checks.CheckMessage]:
    label = model._meta.label
    errors = []
    names = {constraint.name for constraint in model._meta.constraints}
    for base in Publishable._meta.constraints:
        wanted = base.name % {"class": model._meta.model_name, "app_label": model._meta.app_label}
        if wanted not in names:
            errors.append(
                checks.Error(
                    f"{label} lacks the publishing constraint {wanted!r}.",
                    hint="Declare Meta.constraints = [*Publishable.Meta.constraints, ...].",
                    obj=model,
                    id="publishing.E001",
                )
            )
    index_names = {index.name for index in model._meta.indexes}
    for base in Publishable._meta.indexes:
        wanted = base.name % {"class": model._meta.model_name, "app_label": model._meta.app_label}
        if wanted not in index_names:
            errors.append(
                checks.Error(
                    f"{label} lacks the publishing index {wanted!r}.",
                    hint="Declare Meta.indexes = [*Publishable.Meta.indexes, ...].",
                    obj=model,
                    id="publishing.E005",
                )
            )
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
