"""detect_automatic: recognise machine-made items (auto-replies, bounces, lists, our own mail, loops).

Reads: ctx.message (automatic, identities, bounced_addresses, sent_at), ctx.brand, inbound.meta.
Sets: ctx.automatic, ctx.agent_author; marks bounced e-mail identities undeliverable.
Never stops: automatic items continue so they can be filed on their case; only acknowledge skips them.
"""

from __future__ import annotations

import random
import time
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
    loops = registry.spec(ctx.inbound.channel).loops
    if not ctx.automatic and sender and not ctx.agent_author and loops and _too_many_from(ctx, sender):
        ctx.automatic = f"more than {LOOP_LIMIT} messages from {sender} in {LOOP_WINDOW}"
    if msg.bounced_addresses:
        # The one place a bounce is told (even one that belongs to no case): the next reply goes another way.
        bounced = [a.lower() for a in msg.bounced_addresses]
        batch.before_read(("identity", brand.pk, IdentityKind.EMAIL, a) for a in bounced)
        Identity.objects.filter(brand=brand, kind=IdentityKind.EMAIL, value__in=bounced).update(undeliverable=True)
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


def _too_many_from(ctx: Context, sender: str) -> bool:
    """Count this sender's items per time bucket (one upsert); a loop shows as a burst within one bucket."""
    bucket = int(_clock(ctx) // LOOP_WINDOW.total_seconds())
    key = f"{ctx.inbound.channel}:{ctx.brand.pk}:{sender}"[:254]
    table = connection.ops.quote_name(SenderCount._meta.db_table)
    with connection.cursor() as cursor:
        # Both SQLite (3.35+) and PostgreSQL speak this upsert; the count is exact under concurrency.
        sql = (
            f"INSERT INTO {table} (sender, bucket, count) VALUES (%s, %s, 1) "  # noqa: S608 - name from the model
            f"ON CONFLICT (sender, bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count"
        )
        cursor.execute(sql, [key, bucket])
        count = cursor.fetchone()[0]
    if count == 1 and random.random() < 0.01:  # noqa: S311 - housekeeping, not security
        # Rows another worker's batch is counting on are left for next time: waiting for them could deadlock.
        stale = SenderCount.objects.filter(bucket__lt=bucket - 6).select_for_update(skip_locked=True)
        SenderCount.objects.filter(pk__in=list(stale.values_list("pk", flat=True)[:1000])).delete()
    return count > LOOP_LIMIT


def _clock(ctx: Context) -> float:
    """Now for live mail; the sender's own Date for imported mail, so a year of history is no burst."""
    if ctx.inbound.meta.get("imported") and ctx.message.sent_at:
        try:
            return datetime.fromisoformat(ctx.message.sent_at).timestamp()
        except ValueError:
            pass
    return time.time()
