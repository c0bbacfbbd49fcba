from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "wordpress"
    verbose_name = "Moving from WordPress"

    def ready(self):
        from wordpress.selectors import imported_without_review
        from workflow.queue_flags import register_queue_flags

        register_queue_flags("wordpress-import", imported_without_review)
