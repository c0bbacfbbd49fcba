from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from taggit.models import Tag

        from articles import bulk, counts, signals, tag_groups, tag_publications  # noqa: F401 - connects the receivers
        from articles.models import Category
        from publishing.bulk import register_bulk_hook
        from workflow.signals import track_slug_changes

        register_bulk_hook(bulk.HOOK)
        track_slug_changes(Category)
        track_slug_changes(Tag)
