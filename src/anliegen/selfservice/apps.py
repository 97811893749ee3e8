"""Django app configuration of self-service."""

from django.apps import AppConfig
from django.core import checks


class SelfServiceConfig(AppConfig):
    name = "anliegen.selfservice"
    label = "selfservice"
    verbose_name = "Self-service"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(ranker_loads)


def ranker_loads(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """The configured article ranker must load: a semantic one without its model would fail every search."""
    from django.conf import settings

    from .rankers import get_ranker

    try:
        get_ranker()
    except ImportError as exc:
        return [
            checks.Error(
                f"ANLIEGEN_ARTICLE_RANKER={settings.ARTICLE_RANKER} cannot load: {exc}",
                hint="Install the model with pip install 'anliegen[semantic]', or unset ANLIEGEN_ARTICLE_RANKER "
                "for the full-text ranking.",
                id="selfservice.E001",
            )
        ]
    return []
