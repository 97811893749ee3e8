"""The one way into the audit log: `record(actor, action, object, detail)`, called by the services that act."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import Action, AuditEntry

if TYPE_CHECKING:
    from anliegen.core.models import Agent  # core's services record here: this module imports nothing of core

__all__ = ["Action", "record"]


def _brand_id(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "core.Brand":
        return obj.pk
    return getattr(obj, "brand_id", None)


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
    return AuditEntry.objects.create(
        brand_id=brand_id if brand_id is not None else _brand_id(obj),
        actor=actor,
        actor_name=actor.name if actor else "",
        via=via or ("desk" if actor else "system"),
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        detail=detail or {},
    )


def record_views(actor: Agent | None, contacts: list[models.Model], *, via: str) -> None:
    """One "personal data viewed" entry per contact shown (a list page shows many at once): one INSERT."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            brand_id=contact.brand_id,
            actor=actor,
            actor_name=actor.name if actor else "",
            via=via,
            action=Action.CONTACT_VIEW,
            object_type=contact._meta.model_name,
            object_id=str(contact.pk),
        )
        for contact in contacts
    )
