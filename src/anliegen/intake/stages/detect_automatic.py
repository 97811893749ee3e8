"""detect_automatic: recognise machine-made items (auto-replies, bounces, lists, our own mail, loops).

Reads: ctx.message (automatic, identities, bounced_addresses, sent_at), ctx.brand, inbound.meta.
Sets: ctx.automatic, ctx.agent_author; marks bounced e-mail identities undeliverable.
Never stops: automatic items continue so they can be filed on their case; only acknowledge skips them.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_delete, post_save

from anliegen.base import batch
from anliegen.channels import registry
from anliegen.core.models import Agent, Identity, IdentityKind, Membership

from ..context import Context
from ..models import SenderCount

# More items than this from one sender within one window are treated as a mail loop.
LOOP_LIMIT = 20
LOOP_WINDOW = timedelta(minutes=10)
_AGENTS_TTL = 30.0
_agents: dict[int, tuple[float, dict[str, int]]] = {}


def detect_automatic(ctx: Context) -> None:
    msg, brand = ctx.message, ctx.brand
    sender = msg.identities[0][1].lower() if msg.identities else ""
    is_mail = bool(msg.identities) and msg.identities[0][0] == IdentityKind.EMAIL
    if msg.automatic:
        ctx.automatic = msg.automatic
    elif is_mail and (agent_id := agent_addresses(brand.pk).get(sender)):
        ctx.agent_author = Agent.objects.get(pk=agent_id)
    elif is_mail and _ours(sender, brand):
        ctx.automatic = "sent from our own domain (loop)"
    # A channel whose items are not each a message (a call's several events) has no loops (spec.loops).
    if not ctx.automatic and not ctx.agent_author and _loop_key(ctx) and _too_many_from(ctx, sender):
        ctx.automatic = f"more than {LOOP_LIMIT} messages from {sender} in {LOOP_WINDOW}"
    if msg.bounced_addresses:
        # The one place a bounce is told (even one that belongs to no case): the next reply goes another way.
        bounced = [a.lower() for a in msg.bounced_addresses]
        batch.before_read(("identity", brand.pk, IdentityKind.EMAIL, a) for a in bounced)
        Identity.objects.filter(brand=brand, kind=IdentityKind.EMAIL, value__in=bounced).update(undeliverable=True)
        scope = batch.current()
        for identity in (i for known in (scope.identities_of or {}).values() for i in known) if scope else ():
            if identity.brand_id == brand.pk and identity.kind == IdentityKind.EMAIL and identity.value in bounced:
                identity.undeliverable = True  # the batch's read of it answers as the database now would
    if ctx.automatic:
        ctx.note("detect_automatic", ctx.automatic)
    elif ctx.agent_author:
        ctx.note("detect_automatic", f"agent {ctx.agent_author.mailbox} writing from mail")


def _ours(sender: str, brand: object) -> bool:
    domain = sender.rpartition("@")[2]
    return domain == brand.mail_domain.lower() or sender == (brand.support_address or "").lower()


def agent_addresses(brand_id: int) -> dict[str, int]:
    """Mail address → agent id for the brand's team, read once per half minute instead of per mail."""
    now = time.monotonic()
    cached = _agents.get(brand_id)
    if cached and now - cached[0] < _AGENTS_TTL:
        return cached[1]
    rows = Agent.objects.filter(brands=brand_id).exclude(user__email="").values_list("user__email", "id")
    mapping = {email.lower(): pk for email, pk in rows}
    _agents[brand_id] = (now, mapping)
    return mapping


def _forget_agents(**_: object) -> None:
    _agents.clear()


# A changed team is seen at once in this process (others within the TTL).
for _model in (Agent, Membership, get_user_model()):
    post_save.connect(_forget_agents, sender=_model, dispatch_uid=f"detect_automatic.{_model.__name__}.save")
    post_delete.connect(_forget_agents, sender=_model, dispatch_uid=f"detect_automatic.{_model.__name__}.delete")


def _loop_key(ctx: Context) -> tuple[str, int] | None:
    """The (sender, time bucket) counter this item counts on; None when it is not counted.

    Automatic mail, an agent's and our own are not counted, nor items of a channel without loops (spec.loops).
    """
    msg, brand = ctx.message, ctx.brand
    sender = msg.identities[0][1].lower() if msg.identities else ""
    if msg.automatic or not sender or not registry.spec(ctx.inbound.channel).loops:
        return None
    if msg.identities[0][0] == IdentityKind.EMAIL and (sender in agent_addresses(brand.pk) or _ours(sender, brand)):
        return None
    bucket = int(_clock(ctx) // LOOP_WINDOW.total_seconds())
    return f"{ctx.inbound.channel}:{brand.pk}:{sender}"[:254], bucket


def count_senders(contexts: list[Context]) -> dict[int, int]:
    """Count a whole batch's items on their senders' counters in one upsert: {inbound id: the count it reaches}.

    Each item gets the count it would have seen counted alone, in batch order; exact under concurrency, as the
    upsert holds the counter rows until the batch commits.
    """
    keyed = [(ctx.inbound.pk, key) for ctx in contexts if ctx.message and ctx.brand and (key := _loop_key(ctx))]
    totals = _add_counts(Counter(key for _pk, key in keyed))
    seen: Counter = Counter()
    counts = {}
    for pk, key in keyed:
        seen[key] += 1
        counts[pk] = totals[key][0] + seen[key]
    return counts


def _add_counts(added: Counter) -> dict[tuple[str, int], tuple[int, int]]:
    """Add to the counters (in key order: two workers lock them alike); {key: (count before, count after)}."""
    if not added:
        return {}
    keys = sorted(added)
    table = connection.ops.quote_name(SenderCount._meta.db_table)
    with connection.cursor() as cursor:
        # Both SQLite (3.35+) and PostgreSQL speak this upsert.
        sql = (
            f"INSERT INTO {table} (sender, bucket, count) VALUES {', '.join(['(%s, %s, %s)'] * len(keys))} "  # noqa: S608
            f"ON CONFLICT (sender, bucket) DO UPDATE SET count = {table}.count + excluded.count "
            "RETURNING sender, bucket, count"
        )
        cursor.execute(sql, [v for key in keys for v in (*key, added[key])])
        after = {(sender, bucket): count for sender, bucket, count in cursor.fetchall()}
    totals = {key: (after[key] - added[key], after[key]) for key in keys}
    if any(before == 0 for before, _after in totals.values()) and random.random() < 0.01:  # noqa: S311 - housekeeping
        # Rows another worker's batch is counting on are left for next time: waiting for them could deadlock.
        oldest = min(bucket for _sender, bucket in keys)
        stale = SenderCount.objects.filter(bucket__lt=oldest - 6).select_for_update(skip_locked=True)
        SenderCount.objects.filter(pk__in=list(stale.values_list("pk", flat=True)[:1000])).delete()
    return totals


def _too_many_from(ctx: Context, sender: str) -> bool:
    """Count this sender's items per time bucket; a loop shows as a burst within one bucket."""
    scope = batch.current()
    if scope is not None and scope.senders is not None and ctx.inbound.pk in scope.senders:
        count = scope.senders[ctx.inbound.pk]  # counted with its batch (count_senders)
    else:
        key = _loop_key(ctx)
        count = _add_counts(Counter([key]))[key][1]
    return count > LOOP_LIMIT


def _clock(ctx: Context) -> float:
    """Now for live mail; the sender's own Date for imported mail, so a year of history is no burst."""
    if ctx.inbound.meta.get("imported") and ctx.message.sent_at:
        try:
            return datetime.fromisoformat(ctx.message.sent_at).timestamp()
        except ValueError:
            pass
    return time.time()
