from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Editorial workflow"

    def ready(self):
        from django.db.models.signals import post_migrate

        from workflow import notifications, readability, roles, signals  # noqa: F401 - notifications connects its receiver

        signals.track_publishable_slugs()
        readability.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="workflow-sync-roles")
