"""Conversation locks: related items are processed by one worker at a time, so threading needs no order.

With two workers, a reply and the mail it answers can sit in two batches at once; neither sees the other's
uncommitted rows and each opens a case. A worker therefore takes, for every item of its batch, a transaction
lock on each key the item shares with related mail: its own Message-ID and the ids it answers (a parent and
its reply share one), the sender's addresses (the same customer's mails, their contact and loop counter), the
reply tokens it names, and the cases of the messages it answers (mail on one case). Locks are only tried,
never waited for: an item whose key another worker holds stays queued for a later batch, when that worker
has committed and its rows are visible. Nothing can deadlock on these locks. A reply whose parent was stored
before it and still waits, in another batch or held back in this one, also stays queued, so the two are
processed in the order one worker would take them; a reply that arrived before its parent is joined to the
parent's case later (stages/thread.py).

PostgreSQL only: SQLite has one writer at a time, which serialises batches anyway.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db import connection

from .context import Context

log = logging.getLogger(__name__)


def keys(ctx: Context) -> set[str]:
    """What ties this item to other mail (see the module docstring); empty when it did not parse."""
    from anliegen.core.services.case_matching import tokens_in

    msg = ctx.message
    if msg is None:
        return set()
    brand = ctx.brand.pk if ctx.brand is not None else 0
    found = {f"id:{brand}:{value.strip().lower()}" for _kind, value in msg.identities}
    ids = [msg.external_id, *msg.in_reply_to[:20]]
    found.update(f"mid:{brand}:{mid[:250]}" for mid in ids if mid)
    if ctx.brand is not None and ctx.brand.mail_domain:
        text = " ".join([*msg.recipients, *msg.in_reply_to[:20]])
        found.update(f"token:{token.lower()}" for token in tokens_in(text, ctx.brand.mail_domain))
    return found


def take(contexts: list[Context]) -> list[Context]:
    """The items this worker may process now; the others' conversations are being processed elsewhere."""
    if not settings.IS_POSTGRES or len(contexts) == 0:
        return contexts
    wanted = {id(ctx): keys(ctx) for ctx in contexts}
    _add_cases(contexts, wanted)
    every = {key for found in wanted.values() for key in found}
    if not every:
        return contexts
    later = _parents_queued(contexts)
    numbers = {key: _number(key) for key in every}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k FROM unnest(%s::bigint[]) AS k WHERE NOT pg_try_advisory_xact_lock(k)",
            [sorted(set(numbers.values()))],
        )
        held = {row[0] for row in cursor.fetchall()}
    if not held and not later:
        return contexts
    waiting = {id(ctx) for ctx in contexts if id(ctx) in later or any(numbers[key] in held for key in wanted[id(ctx)])}
    waiting |= _behind(contexts, waiting)
    mine = [ctx for ctx in contexts if id(ctx) not in waiting]
    log.info(
        "%s of %s items wait: their conversation is being processed by another worker",
        len(contexts) - len(mine),
        len(contexts),
    )
    return mine


def _behind(contexts: list[Context], waiting: set[int]) -> set[int]:
    """Replies in this batch to mail of this batch that waits: they wait too, or they would open a case of their own.

    (This worker holds the parent's Message-ID lock itself, so the reply's own lock does not stop it.)
    """
    waits: dict[tuple[str, str], int] = {}  # (channel, Message-ID) of a waiting item -> its Inbound id
    behind: set[int] = set()
    for ctx in sorted(contexts, key=lambda c: c.inbound.pk):
        msg = ctx.message
        if msg is None:
            continue
        parents = (waits.get((ctx.inbound.channel, mid[:250])) for mid in msg.in_reply_to[:20])
        if id(ctx) in waiting or any(pk is not None and pk < ctx.inbound.pk for pk in parents):
            behind.add(id(ctx))
            if msg.external_id:
                waits[(ctx.inbound.channel, msg.external_id[:250])] = ctx.inbound.pk
    return behind - waiting


def _parents_queued(contexts: list[Context]) -> set[int]:
    """Replies whose parent came earlier and still waits in another batch: the parent goes first, as in date order.

    (Only parents stored before the reply: two mails naming each other can never wait for one another.)
    """
    from .models import Inbound, InboundState

    ours = {ctx.inbound.pk for ctx in contexts}
    asked: dict[tuple[str, str], list[Context]] = {}
    for ctx in contexts:
        if ctx.message is not None:
            for mid in ctx.message.in_reply_to[:20]:
                asked.setdefault((ctx.inbound.channel, mid[:250]), []).append(ctx)
    if not asked:
        return set()
    rows = Inbound.objects.filter(external_id__in={mid for _c, mid in asked}, state=InboundState.RECEIVED).values_list(
        "pk", "channel", "external_id"
    )
    return {
        id(ctx)
        for pk, channel, mid in rows
        if pk not in ours
        for ctx in asked.get((channel, mid), [])
        if pk < ctx.inbound.pk
    }


def _add_cases(contexts: list[Context], wanted: dict[int, set[str]]) -> None:
    """Mail answering different messages of one case meets on that case's row: lock the case too."""
    from anliegen.core.models import Message

    answered: dict[str, list[int]] = {}
    for ctx in contexts:
        if ctx.message is not None:
            for mid in ctx.message.in_reply_to[:20]:
                answered.setdefault(mid[:250], []).append(id(ctx))
    if not answered:
        return
    rows = Message.objects.filter(external_id__in=list(answered)).values_list("external_id", "case_id")
    for external_id, case_id in rows:
        for owner in answered.get(external_id, []):
            wanted[owner].add(f"case:{case_id}")


def _number(key: str) -> int:
    # A stable signed 64-bit number per key (advisory locks take a bigint); collisions only cost a wait.
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
