from django.apps import AppConfig


class ReadabilityConfig(AppConfig):
    name = "readability"
    verbose_name = "Readability"
    default_auto_field = "django.db.models.BigAutoField"
