from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "site search"

    def ready(self):
        from publishing.bulk import BulkHook, register_bulk_hook
        from search import indexing, signals

        register_bulk_hook(
            BulkHook(
                "search",
                defer=signals.search_index_deferred,
                written=indexing.index_bulk_written,
                finish=indexing.refresh_statistics,
            )
        )
