from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "operations"

    def ready(self):
        from ops import checks, receivers  # noqa: F401 - registers the checks, connects the invalidation receivers
