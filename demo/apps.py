from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site: ``manage.py load_demo`` and its content. It stands above every other app."""

    name = "demo"
    verbose_name = "Demo content"
