from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "operations"

    def ready(self):
        from ops import checks, receivers  # noqa: F401 - registers the checks, connects the invalidation receivers
        from publishing.bulk import BulkHook, register_bulk_hook

        # Bulk writes skip per-row invalidation and make every cached page stale once at the end.
        register_bulk_hook(
            BulkHook("page-cache", defer=receivers.invalidation_suspended, finish=receivers.invalidate_everything)
        )
