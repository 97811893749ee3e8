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
    """Import the URL configuration the case link needs, load each language's catalogue and date formats,
    compile the confirmation templates, import the parsers and the holiday calendars: one-offs that otherwise
    land on the first message and its confirmation (a second or more)."""
    from django.conf import settings
    from django.db import DatabaseError
    from django.template.loader import get_template
    from django.utils import formats, translation

    from anliegen.base import startup
    from anliegen.channels import registry
    from anliegen.core.case_links import warm_up as links
    from anliegen.core.services import answer_time

    started = time.perf_counter()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            links()
            formats.get_format("DATETIME_FORMAT")  # the answer time's date in each language's format module
    for name in CONFIRMATIONS:
        get_template(name)
    for spec in registry.specs():
        registry.parser(spec.name)  # each channel's parser and what it imports (e-mail: its dozen modules)
    # The holidays package imports every country's module on the first calendar (half a second).
    try:
        answer_time.warm_up()
    except DatabaseError as exc:  # not migrated yet: the first answer time loads it instead
        log.debug("holiday calendars not loaded: %s", exc)
    startup.freeze("intake")
    log.debug("warmed up in %.2f s", time.perf_counter() - started)

