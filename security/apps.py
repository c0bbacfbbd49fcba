from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security: sign-in, second factor, response headers"

    def ready(self):
        from security import signals  # noqa: F401 - connects the receivers
        from security.app_names import name_package_apps

        name_package_apps()
