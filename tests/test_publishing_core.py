"""The publishing core: the registry, the contract check, per-model permissions and bulk-write hooks."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from articles.models import Article
from drugs.models import Drug
from pages.models import Page
from publishing import bulk
from publishing.checks import contract_errors
from publishing.models import Publishable
from publishing.registry import is_publishable, publishable_models


def test_the_registry_finds_every_installed_publishable_model_by_subclass():
    assert publishable_models() == [Article, Drug, Page]
    assert is_publishable(Article) and not is_publishable(models.Model)


def test_installed_publishable_models_keep_the_contract():
    assert [error for model in publishable_models() for error in contract_errors(model)] == []


@isolate_apps("publishing")
def test_a_new_content_type_gets_the_base_constraints_and_its_own_permissions():
    class Leaflet(Publishable):
        title = models.CharField(max_length=100)

        class Meta:
            app_label = "publishing"
            constraints = [*Publishable.Meta.constraints]
            indexes = [*Publishable.Meta.indexes]

        def get_absolute_url(self):
            return f"/leaflets/{self.pk}/"

    assert contract_errors(Leaflet) == []
    names = {constraint.name for constraint in Leaflet._meta.constraints}
    assert names == {
        "leaflet_reviewer_is_not_author",
        "leaflet_published_has_time",
        "leaflet_expires_after_publish",
        "leaflet_next_review_after_last",
    }
    codenames = {codename for codename, _ in Leaflet._meta.permissions}
    assert codenames == {"publish_leaflet", "review_leaflet"}
    assert Leaflet._meta.get_field("author").remote_field.related_name == "leaflets"


@isolate_apps("publishing")
def test_the_contract_check_reports_a_type_that_drops_the_base_constraints_or_names_no_title():
    class Poster(Publishable):
        heading = models.CharField(max_length=100)

        class Meta:
            app_label = "publishing"
            constraints = [models.CheckConstraint(condition=~models.Q(heading=""), name="poster_has_heading")]

    ids = sorted(error.id for error in contract_errors(Poster))
    assert ids == ["publishing.E001"] * len(Publishable._meta.constraints) + [
        "publishing.E002",
        "publishing.E003",
        "publishing.E005",
    ]


class _Recorder:
    def __init__(self):
        self.events = []

    def hook(self, name):
        from contextlib import contextmanager

        @contextmanager
        def defer():
            self.events.append(("defer", name))
            try:
                yield
            finally:
                self.events.append(("resume", name))

        return bulk.BulkHook(
            name,
            defer=defer,
            written=lambda model, objects: self.events.append(("written", name, model, len(objects))),
            finish=lambda: self.events.append(("finish", name)),
        )


@pytest.fixture
def only_hooks(monkeypatch):
    """Bulk writes see only the hooks a test registers."""
    monkeypatch.setattr(bulk, "_hooks", {})
    recorder = _Recorder()
    bulk.register_bulk_hook(recorder.hook("one"))
    bulk.register_bulk_hook(recorder.hook("two"))
    return recorder


def test_bulk_writes_defers_tells_each_batch_and_finishes_once(only_hooks):
    with bulk.bulk_writes() as writes:
        writes.written(Article, [object(), object()])
    assert only_hooks.events == [
        ("defer", "one"),
        ("defer", "two"),
        ("written", "one", Article, 2),
        ("written", "two", Article, 2),
        ("finish", "one"),
        ("finish", "two"),
        ("resume", "two"),
        ("resume", "one"),
    ]


def test_bulk_writes_finishes_even_when_the_block_fails_and_can_skip_a_hook(only_hooks):
    with pytest.raises(RuntimeError), bulk.bulk_writes(skip=["two"]):
        raise RuntimeError("stopped part-way")
    assert only_hooks.events == [("defer", "one"), ("finish", "one"), ("resume", "one")]
