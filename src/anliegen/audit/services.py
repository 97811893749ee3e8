"""The one way into the audit log: `record(actor, action, object, detail)`, called by the services that act."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from anliegen.base.prepared import Prepared

from .models import Action, AuditEntry

if TYPE_CHECKING:
    from anliegen.core.models import Agent  # core's services record here: this module imports nothing of core

__all__ = ["Action", "record"]

# Who the request acting now is, when it is an integration's token (set by the API's authentication): the
# services name an agent (the case's owner, for the case history), the audit log names the token.
_integration: ContextVar[dict[str, str] | None] = ContextVar("audit_integration", default=None)
# The same person looking at the same contact (and case) again within this time adds no entry: the desk shows
# the case page again after every reply, note and state change, and a reload says nothing new.
VIEW_WINDOW = timedelta(minutes=5)


@contextmanager
def request_scope() -> Iterator[None]:
    """One request: an integration named in it is the actor of its entries, and of no later request's."""
    token = _integration.set({})
    try:
        yield
    finally:
        _integration.reset(token)


def acting_integration(name: str, prefix: str) -> None:
    holder = _integration.get()
    if holder is not None:
        holder.update(name=name, prefix=prefix)


def _who(actor: Agent | None, via: str) -> tuple[Agent | None, str, str]:
    holder = _integration.get()
    if holder:
        return None, f"{holder['name']} ({holder['prefix']}…)"[:160], f"api:{holder['name']}"[:40]
    return actor, actor.name if actor else "", via or ("desk" if actor else "system")


def _brand_id(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "core.Brand":
        return obj.pk
    return getattr(obj, "brand_id", None)


def _entry(
    who: tuple[Agent | None, str, str], action: str, obj: models.Model, detail: dict | None, brand_id: int | None
) -> AuditEntry:
    actor, name, via = who
    return AuditEntry(
        brand_id=brand_id if brand_id is not None else _brand_id(obj),
        actor=actor,
        actor_name=name,
        via=via,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        detail=detail or {},
    )


def record(
    actor: Agent | None,
    action: str,
    obj: models.Model,
    detail: dict[str, Any] | None = None,
    *,
    via: str = "",
    brand_id: int | None = None,
) -> AuditEntry:
    """Append one entry; inside the caller's transaction, so an action that rolls back leaves no entry."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    entry = _entry(_who(actor, via), action, obj, detail, brand_id)
    entry.save(force_insert=True)
    return entry


def record_each(
    actor: Agent | None, action: str, changed: list[tuple[models.Model, dict[str, Any]]], *, via: str = ""
) -> None:
    """One entry per (object, detail) of a bulk action, in one INSERT."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    who = _who(actor, via)
    AuditEntry.objects.bulk_create(_entry(who, action, obj, detail, None) for obj, detail in changed)


def record_views(actor: Agent | None, contacts: list[models.Model], *, via: str) -> None:
    """One "personal data viewed" entry per contact shown (a list page shows many at once): one INSERT."""
    who = _who(actor, via)
    AuditEntry.objects.bulk_create(_entry(who, Action.CONTACT_VIEW, c, None, c.brand_id) for c in contacts)


def _latest_views(object_type: str, object_id: str, actor: int) -> models.QuerySet:
    """The agent's 20 latest views of one object, newest first (the entries' ordering, `-at, -id`)."""
    return AuditEntry.objects.filter(
        object_type=object_type, object_id=object_id, action=Action.CONTACT_VIEW, actor_id=actor
    ).values_list("at", "detail")[:20]


_latest_views_prepared = Prepared(_latest_views)


def record_view(actor: Agent, contact: models.Model, *, via: str, case: models.Model | None = None) -> bool:
    """A desk page showed the contact's personal data (on its own page, or on `case`'s); False when the same
    agent saw the same within VIEW_WINDOW and nothing was added. One indexed lookup, at most one INSERT.

    The window is applied to the latest views read (newest first): those within it are the newest ones, so these
    are the same entries as the window's own 20 latest, and the lookup has only ids and texts (it is prepared)."""
    detail = {"case": case.pk} if case is not None else {}
    since = timezone.now() - VIEW_WINDOW
    seen = _latest_views_prepared(object_type=contact._meta.model_name, object_id=str(contact.pk), actor=actor.pk)
    if any(at >= since and entry == detail for at, entry in seen):
        return False
    record(actor, Action.CONTACT_VIEW, contact, detail, via=via)
    return True
