"""What a web process loads before it serves, and the collector kept off everything that lives as long as it.

Without this, every web process paid on its first desk pages for importing the views behind the URL map,
compiling each template and loading each language's catalogue (the first inbox of a process took ~0.4 s). And
every collection of the oldest generation walked all objects of Django and the product, which never become
garbage: 110–170 ms once every ~1,500 inbox pages, for that request and every one waiting behind it in the
process (bench/README.md, sixth round). `base.startup.freeze` moves what exists after the warm-up out of the
collector's reach; objects made later (requests, cached rows) are collected as before.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)


def templates() -> list[str]:
    """The names of the product's own templates (every app's templates/ folder and the project's)."""
    from django.apps import apps
    from django.conf import settings

    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs() if app.name.startswith("anliegen")]
    return sorted({str(p.relative_to(folder)) for folder in folders if folder.is_dir() for p in folder.rglob("*.html")})


def warm_up() -> None:
    """Import the views, compile the templates, load each language's catalogue and formats; then freeze."""
    from django.conf import settings
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse
    from django.utils import formats, translation

    from anliegen.base import startup

    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports every view module the URL map names
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reverse("desk:inbox")  # the resolver's reverse table, built once per language
            formats.get_format("SHORT_DATETIME_FORMAT")
    for name in templates():
        try:
            get_template(name)
        except TemplateSyntaxError:  # a fragment that only compiles inside another template: compiled there
            log.debug("template %s not compiled alone", name)
    frozen = startup.freeze("web")
    log.debug("web process warmed up in %.2f s (%d objects frozen)", time.perf_counter() - started, frozen)
