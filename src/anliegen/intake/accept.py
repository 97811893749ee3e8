"""The one entry point every channel calls: store the raw item durably, once, then queue it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .models import Inbound, InboundState

log = logging.getLogger(__name__)

# (channel, external id, raw, meta, brand id) or the same with the content digest last. A digest makes the key
# (id, content): for ids the sender chooses (a Message-ID) that two different messages may share.
Item = tuple[str, str, bytes, dict, int | None] | tuple[str, str, bytes, dict, int | None, str]
REUSED = "reused_external_id"  # meta flag: another item with different content arrived under this id first


@dataclass(frozen=True)
class Accepted:
    inbound_id: int
    duplicate: bool


def accept(
    channel: str,
    external_id: str,
    raw: bytes,
    meta: dict | None = None,
    brand_id: int | None = None,
    digest: str = "",
) -> Accepted:
    """Store an Inbound idempotently on (channel, external_id[, digest]) and return at once.

    The caller may answer its provider (250, 200 OK) as soon as this returns: the row is committed.
    A repeated delivery returns the existing row and changes nothing.
    """
    if not external_id:
        raise ValueError("an Inbound needs the provider's id")
    [accepted] = accept_many([(channel, external_id, raw, meta or {}, brand_id, digest)], eager=False)
    if accepted.duplicate:
        if _synchronous(channel):
            process_now([accepted.inbound_id])  # a repeat of one the worker has not reached yet: the sender waits
        return accepted
    if settings.INTAKE_EAGER:
        from .pipeline import process_ids

        process_ids([accepted.inbound_id])
    elif _synchronous(channel):
        process_now([accepted.inbound_id])
    else:
        from .wakeup import wake

        transaction.on_commit(wake)
    return accepted


def _known(keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """(channel, id) -> [(pk, digest)] of the rows already stored, one query per channel and 500 ids."""
    known: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for channel in {c for c, _ in keys}:
        ids = [e for c, e in keys if c == channel]
        for start in range(0, len(ids), 500):
            rows = Inbound.objects.filter(channel=channel, external_id__in=ids[start : start + 500])
            for external_id, pk, digest in rows.values_list("external_id", "id", "digest").order_by("id"):
                known.setdefault((channel, external_id), []).append((pk, digest))
    return known


def _same(rows: list[tuple[int, str]], digest: str) -> int | None:
    """The stored row this item repeats. Without a digest any row under the id is it; rows stored before
    digests existed (empty digest) count as the same content, as they did then."""
    for pk, stored in rows:
        if not digest or not stored or stored == digest:
            return pk
    return None


def accept_many(items: list[Item], eager: bool = True) -> list[Accepted]:
    """Store many Inbounds in one transaction (group commit for importers and batched listeners)."""
    if not items:
        return []
    norm = [(c, e[:250], raw, meta, b, rest[0] if rest else "") for c, e, raw, meta, b, *rest in items]
    known = _known({(c, e) for c, e, *_ in norm})
    fresh: dict[tuple[str, str, str], Inbound] = {}
    plan: list[int | tuple[str, str, str]] = []  # a stored row's pk, or the key of a row stored now
    for channel, external_id, raw, meta, brand_id, digest in norm:
        rows = known.get((channel, external_id), [])
        pk = _same(rows, digest)
        key = (channel, external_id, digest)
        plan.append(pk if pk is not None else key)
        if pk is not None or key in fresh:
            continue
        meta = dict(meta or {})
        if rows or any(k[:2] == key[:2] for k in fresh):
            meta[REUSED] = True
        fresh[key] = Inbound(
            channel=channel, external_id=external_id, digest=digest, raw=raw, meta=meta, brand_id=brand_id
        )
    if fresh:
        with transaction.atomic():
            Inbound.objects.bulk_create(list(fresh.values()), batch_size=500, ignore_conflicts=True)
        # ignore_conflicts gives no ids back on every database; read them in one query per channel
        # (a row a concurrent delivery stored first is then the one).
        stored = _known({k[:2] for k in fresh})
        for key, inbound in fresh.items():
            inbound.pk = next(pk for pk, digest in stored[key[:2]] if digest == key[2])
    result = []
    seen: set[tuple[str, str, str]] = set()
    for target in plan:
        if isinstance(target, int):
            result.append(Accepted(target, True))
        else:
            result.append(Accepted(fresh[target].pk, target in seen))
            seen.add(target)
    new = [a.inbound_id for a in result if not a.duplicate]
    if new and eager and settings.INTAKE_EAGER:
        from .pipeline import process_ids

        process_ids(new)
    elif new and eager:
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
