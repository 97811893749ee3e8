"""A case's timeline: its messages and audit events in one ordered list, each with what an agent needs to see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from anliegen.base.prepared import Prepared
from anliegen.channels.email.trim import visible_text
from anliegen.core.models import Agent, Attachment, Case, CaseEvent, CaseState, Direction, Message
from anliegen.core.services import personal_data
from anliegen.intake.accept import REUSED

from . import fragments
from .pages import look_key

# A message does not change once stored; what does (its delivery, receipts, attachments, an erased text) is in
# the key, so a cached entry is never out of date. Rows and entries share the cache's 20,000 places.
ENTRY_CACHE_SECONDS = 24 * 3600


@dataclass
class Entry:
    at: datetime
    message: Message | None = None
    event: CaseEvent | None = None
    summary: str = ""  # for events: one readable line


# Only the columns the timeline shows: a message's stored HTML can be large and is fetched on demand.
MESSAGE_FIELDS = ("case_id", "channel", "direction", "kind", "address", "body_text", "delivery", "delivery_error")
MESSAGE_FIELDS += ("delivery_attempts", "created_at", "author_agent__name", "on_behalf_of__name", "public")
# "Send again" reads whether someone is sending it now: without these, one query per outgoing message.
MESSAGE_FIELDS += ("delivery_claim", "delivery_lease_until")


def _receipts() -> type:
    # What the messaging provider said of an outgoing message: delivered, read, not delivered and why.
    # Reached through the relation: the messaging channels' pages use the desk, so the desk names no model of theirs.
    return Message._meta.get_field("receipts").related_model


def _messages(case: int):  # noqa: ANN202 - a queryset
    return (
        Message.objects.filter(case_id=case)
        .select_related("author_agent", "on_behalf_of")
        .only(*MESSAGE_FIELDS)
        .annotate(
            has_html=ExpressionWrapper(~Q(body_html=""), output_field=BooleanField()),
            # Another mail came under the same Message-ID before: the agent should know it may be a copy.
            reused_id=ExpressionWrapper(Q(**{f"inbound__meta__{REUSED}": True}), output_field=BooleanField()),
            # Most messages have neither: their (empty) lists need no query of their own.
            has_files=Exists(Attachment.objects.filter(message_id=OuterRef("pk"))),
            has_receipts=Exists(_receipts().objects.filter(message_id=OuterRef("pk"))),
        )
    )


MESSAGES = Prepared(_messages)
EVENTS = Prepared(
    lambda case: (
        CaseEvent.objects.filter(case_id=case)
        .select_related("actor")
        .only("case_id", "kind", "text", "data", "created_at", "actor__name")
    )
)


def timeline(case: Case) -> list[Entry]:
    """Two queries however long the case (messages with their authors, events with actors); attachments and
    receipts one query each only if some message has them. Each message's are in `shown_files`, `shown_receipts`."""
    messages = MESSAGES(case=case.pk)
    files = Prefetch("attachments", queryset=Attachment.objects.only("message_id", "filename", "size").order_by("id"))
    prefetch_related_objects([m for m in messages if m.has_files], files)
    receipts = Prefetch("receipts", queryset=_receipts().objects.order_by("at", "id"))
    prefetch_related_objects([m for m in messages if m.has_receipts], receipts)
    for m in messages:
        m.case = case
        m.shown_files = list(m.attachments.all()) if m.has_files else []
        m.shown_receipts = list(m.receipts.all()) if m.has_receipts else []
    events = EVENTS(case=case.pk)
    names = _agent_names(events)
    entries = [Entry(m.created_at, message=m) for m in messages]
    entries += [Entry(e.created_at, event=e, summary=_summary(e, names)) for e in events]
    # An event and the message it caused share a moment; the event (e.g. "created") reads first.
    entries.sort(key=lambda e: (e.at, 0 if e.event else 1))
    return entries


def rendered(entries: list[Entry]) -> list[SafeString]:
    """Each entry's HTML, rendered once per look and template and then read from the cache with one `get_many`.

    An entry with a form ("Send again") holds a CSRF slot: the page fills in its request's token
    (`fragments.fill_csrf`), so the cached HTML is the same for every request.
    """
    shown_in = (*fragments.shown_in(), _entry_source())
    keys = [look_key("desk-entry:2", (*_look(entry), shown_in)) for entry in entries]
    cached = cache.get_many(keys)
    fresh = {key: _render(entry) for key, entry in zip(keys, entries, strict=True) if key not in cached}
    if fresh:
        cache.set_many(fresh, ENTRY_CACHE_SECONDS)
    return [mark_safe(cached.get(key) or fresh[key]) for key in keys]  # noqa: S308 - rendered by the entry template


def _has_form(message: Message) -> bool:
    if message.direction != Direction.OUT:
        return False
    return message.delivery == Message.Delivery.FAILED or (
        message.delivery == Message.Delivery.QUEUED and message.can_send_again
    )


def _look(entry: Entry) -> tuple:
    """Everything an entry shows (its text, as folding and masking derive from it)."""
    if entry.event:
        e = entry.event
        return ("event", e.pk, e.kind, e.text, e.created_at, entry.summary)
    m = entry.message
    people = (m.author_agent.name if m.author_agent else None, m.on_behalf_of.name if m.on_behalf_of else None)
    receipts = [(r.status, r.at, r.detail) for r in m.shown_receipts]
    files = [(a.pk, a.filename, a.size) for a in m.shown_files]
    # Whether "Send again" shows changes with the time (a queued message nobody sends is stuck after a while).
    delivery = (m.delivery, m.delivery_error, m.delivery_attempts, _has_form(m))
    flags = (m.public, m.has_html, m.reused_id)
    return ("message", m.pk, m.direction, m.kind, m.channel, m.address, m.created_at, people, delivery, flags,
            receipts, files, m.body_text)  # fmt: skip


def _render(entry: Entry) -> str:
    if entry.message:
        folded(entry.message)
    return _entry_template().render({"entry": entry, "csrf_token": fragments.CSRF_SLOT})


@lru_cache(maxsize=1)
def _entry_template():  # noqa: ANN202 - a backend template
    return get_template("desk/_timeline_entry.html")


def _entry_source() -> str:
    return fragments.source_digest(_entry_template())


def folded(message: Message) -> Message:
    """A customer's text as the agent reads it first: what is new; the quoted mail and signature one click away."""
    message.new_text, message.quoted_text = message.body_text, ""
    message.personal_data = []
    if message.public:
        # Personal data in a public post is flagged and masked; the agent may look, nobody should repeat it.
        message.new_text, found = personal_data.mask(message.body_text)
        message.personal_data = [str(personal_data.LABELS[kind]) for kind in found]
    elif message.direction == Direction.IN:
        message.new_text, message.quoted_text = visible_text(message.body_text)
    return message


def _agent_names(events: list[CaseEvent]) -> dict[int, str]:
    ids = set()
    for event in events:
        if event.kind == CaseEvent.Kind.REASSIGNED:
            ids.update(v for v in (event.data.get("from"), event.data.get("to")) if isinstance(v, int))
    return dict(Agent.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _state_label(value: object) -> str:
    return str(CaseState(value).label) if value in CaseState.values else str(value or "")


def _summary(event: CaseEvent, names: dict[int, str]) -> str:
    actor = event.actor.name if event.actor else _("the system")
    data = event.data if isinstance(event.data, dict) else {}
    if event.kind == CaseEvent.Kind.CREATED:
        return _("Case opened, owner %(owner)s") % {"owner": actor}
    if event.kind == CaseEvent.Kind.STATE:
        if "to" in data:
            return _("%(actor)s changed the state from %(old)s to %(new)s") % {
                "actor": actor,
                "old": _state_label(data.get("from")),
                "new": _state_label(data.get("to")),
            }
        return _("State changed: %(text)s") % {"text": event.text}
    if event.kind == CaseEvent.Kind.REASSIGNED:
        return _("%(actor)s handed the case from %(old)s to %(new)s") % {
            "actor": actor,
            "old": names.get(data.get("from"), "?"),
            "new": names.get(data.get("to"), "?"),
        }
    return f"{event.get_kind_display()} ({actor})"
