from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Reader feedback"

    def ready(self):
        from feedback import checks  # noqa: F401 - registers the check
        from feedback.selectors import pages_flagged_by_readers
        from workflow.queue_flags import register_queue_flags

        register_queue_flags("reader-feedback", pages_flagged_by_readers)
