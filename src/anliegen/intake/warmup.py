"""What a process that takes in messages loads when it starts, so that its first message does not wait for it."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

# The templates every confirmation of a new case or a follow-up is made of (core/services/confirmations.py).
CONFIRMATIONS = [
    f"confirmations/{name}.{ext}"
    for name in ("new_case", "follow_up", "public_new_case", "public_follow_up")
    for ext in ("txt", "html")
] + ["confirmations/new_case.short.txt", "confirmations/follow_up.short.txt"]


def warm_up() -> None:
    """Import the URL configuration the case link needs, load each language's catalogue, compile the
    confirmation templates: one-offs that otherwise land on the first confirmation (a second or more)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.utils import translation

    from anliegen.core.case_links import warm_up as links

    started = time.perf_counter()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            links()
    for name in CONFIRMATIONS:
        get_template(name)
    log.debug("warmed up in %.2f s", time.perf_counter() - started)
