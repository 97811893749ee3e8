"""Django app configuration of search: keeps the database-side search structures in place after migrations."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "anliegen.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from .schema import repair_after_migrate

        # A later core migration may rebuild a table on SQLite, which drops the triggers that feed the index.
        post_migrate.connect(repair_after_migrate, sender=self, dispatch_uid="search-repair-after-migrate")
