from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "site search"

    def ready(self):
        from search import signals  # noqa: F401 - connects the index-keeping receivers
