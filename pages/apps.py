from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from pages import signals  # noqa: F401 - keeps addresses below a renamed page and the navigation current
