"""The case page's main part (header, timeline, composers, actions) rendered once per look and then cached.

The page's template was a third of its CPU and the same on every view of an unchanged case. The key is everything
the part shows: the case's header facts, identities, service level (with the time left), tags, incidents, text
blocks, the empty forms' fields and choices (a draft's text is a field's value), the timeline's entries, the
language and its translations, time zone and URL prefix, and the templates' sources. Its forms hold CSRF slots the page fills in. A
bound form (the agent's input with its errors), a message for the agent or a channel panel is rendered afresh.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import fragments
from .fragments import CSRF_SLOT, source_digest
from .pages import look_key

MAIN_CACHE_SECONDS = 24 * 3600
# What case_context gives; anything else passed in (an error, a notice) is rendered afresh.
CACHEABLE_KEYS = frozenset(
    ("case", "identities", "entries", "reply_form", "note_form", "state_form", "reassign_form", "incident_choices")
    + ("panel", "sla", "macros", "case_tags", "brand_tags")
)
TEMPLATES = ("desk/_case_main.html", "desk/_case_tags.html", "desk/_macro_picker.html", "desk/_timeline.html")
FORMS = ("reply_form", "note_form", "state_form", "reassign_form")


def cached_html(context: dict) -> SafeString | None:
    """The main part for `context` (case_context's), from the cache when seen before; None when not cacheable."""
    if not CACHEABLE_KEYS.issuperset(context) or context["panel"] is not None:
        return None
    if any(context[name].is_bound for name in FORMS):
        return None
    now = timezone.now()
    key = look_key("desk-case-main:1", _look(context, now))
    html = cache.get(key)
    if html is None:
        html = _templates()[0].render(context | {"now": now, "csrf_token": CSRF_SLOT})
        cache.set(key, html, MAIN_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template above, which escapes


@lru_cache(maxsize=1)
def _templates() -> list:
    return [get_template(name) for name in TEMPLATES]


def _look(c: dict, now: object) -> tuple:
    case = c["case"]
    incident = case.incident if case.incident_id else None
    contact = case.contact if case.contact_id else None
    head = (case.pk, case.subject, case.state, case.owner.name, case.owner.extension, case.brand.name)
    head += (case.contact_id, contact.name if contact else None, case.preferred_channel, case.language)
    head += (case.answer_due_at, bool(case.state == "open" and case.answer_due_at and case.answer_due_at < now))
    head += ((incident.pk, incident.title, incident.state) if incident else None,)
    identities = [(i.kind, i.value, i.verified, i.undeliverable) for i in c["identities"]]
    sla = [(s.stage, s.label, s.state, s.state_label, s.due, s.left) for s in c["sla"]]
    tags = ([(t.pk, t.name) for t in c["case_tags"]], list(c["brand_tags"]), list(c["incident_choices"]))
    macros = [(m.pk, m.name, m.language, bool(m.set_state or m.note or m.promise_kind)) for m in c["macros"]]
    forms = [_form_look(c[name]) for name in FORMS]
    entries = hashlib.blake2b("\x00".join(c["entries"]).encode(), digest_size=16).hexdigest()
    shown_in = fragments.shown_in()
    sources = [source_digest(t) for t in _templates()]
    return (head, identities, sla, tags, macros, forms, entries, shown_in, sources)


def _form_look(form: object) -> list:
    """An empty form as shown: each field's name, id, label, widget, value and choices."""
    look = []
    for bound in form:
        widget = bound.field.widget
        look.append((bound.html_name, bound.auto_id, str(bound.label), type(widget).__qualname__, widget.attrs))
        look.append((bound.value(), list(getattr(widget, "choices", ())), bound.field.required))
    return look
