"""The one entry point every channel calls: store the raw item durably, once, then queue it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Inbound, InboundState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Accepted:
    inbound_id: int
    duplicate: bool


def accept(
    channel: str, external_id: str, raw: bytes, meta: dict | None = None, brand_id: int | None = None
) -> Accepted:
    """Store an Inbound idempotently on (channel, external_id) and return at once.

    The caller may answer its provider (250, 200 OK) as soon as this returns: the row is committed.
    A repeated delivery returns the existing row and changes nothing.
    """
    if not external_id:
        raise ValueError("an Inbound needs the provider's id")
    external_id = external_id[:250]
    existing = Inbound.objects.filter(channel=channel, external_id=external_id).values_list("id", flat=True).first()
    if existing:
        if _synchronous(channel):
            process_now([existing])  # a repeat of one the worker has not reached yet: the sender still waits
        return Accepted(existing, True)
    try:
        with transaction.atomic():
            inbound = Inbound.objects.create(
                channel=channel, external_id=external_id, raw=raw, meta=meta or {}, brand_id=brand_id
            )
    except IntegrityError:
        # A concurrent delivery of the same item won the race; theirs is the one.
        existing = Inbound.objects.filter(channel=channel, external_id=external_id).values_list("id", flat=True).first()
        if existing is None:
            raise
        return Accepted(existing, True)
    if settings.INTAKE_EAGER:
        from .pipeline import process_ids

        process_ids([inbound.pk])
    elif _synchronous(channel):
        process_now([inbound.pk])
    else:
        from .wakeup import wake

        transaction.on_commit(wake)
    return Accepted(inbound.pk, False)


def accept_many(items: list[tuple[str, str, bytes, dict, int | None]]) -> list[Accepted]:
    """Store many Inbounds in one transaction (group commit for importers and batched listeners)."""
    if not items:
        return []
    keys = {(c, e[:250]) for c, e, *_ in items}
    known: dict[tuple[str, str], int] = {}
    for channel in {c for c, _ in keys}:
        ids = [e for c, e in keys if c == channel]
        for start in range(0, len(ids), 500):
            rows = Inbound.objects.filter(channel=channel, external_id__in=ids[start : start + 500])
            known.update({(channel, x): pk for x, pk in rows.values_list("external_id", "id")})
    fresh: dict[tuple[str, str], Inbound] = {}
    for channel, external_id, raw, meta, brand_id in items:
        key = (channel, external_id[:250])
        if key not in known and key not in fresh:
            fresh[key] = Inbound(channel=channel, external_id=key[1], raw=raw, meta=meta or {}, brand_id=brand_id)
    with transaction.atomic():
        Inbound.objects.bulk_create(list(fresh.values()), batch_size=500, ignore_conflicts=True)
    if fresh:
        # ignore_conflicts gives no ids back on every database; read them in one query per channel.
        for channel in {c for c, _ in fresh}:
            ids = [e for c, e in fresh if c == channel]
            for start in range(0, len(ids), 500):
                rows = Inbound.objects.filter(channel=channel, external_id__in=ids[start : start + 500])
                for x, pk in rows.values_list("external_id", "id"):
                    if (channel, x) in fresh:
                        fresh[(channel, x)].pk = pk
    result = []
    seen: set[tuple[str, str]] = set()
    for channel, external_id, *_ in items:
        key = (channel, external_id[:250])
        if key in fresh and key not in seen:
            result.append(Accepted(fresh[key].pk, False))
        else:
            result.append(Accepted(known.get(key) or fresh[key].pk, True))
        seen.add(key)
    if fresh and settings.INTAKE_EAGER:
        from .pipeline import process_ids

        process_ids([i.pk for i in fresh.values()])
    elif fresh:
        from .wakeup import wake

        wake()
    return result


def process_now(ids: list[int]) -> None:
    """Run the pipeline in this request for a channel whose sender waits for the outcome (spec.synchronous).

    A failure must not cost the sender their message: it is stored, and the worker retries it.
    """
    from .pipeline import process_ids

    try:
        process_ids(ids)
    except Exception:  # noqa: BLE001 - the Inbound stays received; the caller's page says so honestly
        log.exception("inbound %s could not be processed at once", ids)


def _synchronous(channel: str) -> bool:
    from anliegen.channels import registry

    found = registry.find(channel)
    return found is not None and found.synchronous


def pending_count() -> int:
    return Inbound.objects.filter(state=InboundState.RECEIVED).count()
