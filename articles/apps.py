from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import counts, signals, tag_publications  # noqa: F401 - connects the receivers
