from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "operations"

    def ready(self):
        from ops import receivers  # noqa: F401 - connects the page-cache invalidation receivers
