"""detect_automatic: recognise machine-made items (auto-replies, bounces, lists, our own mail, loops).

Reads: ctx.message (automatic, identities, headers), ctx.brand. Sets: ctx.automatic, ctx.agent_author.
Never stops: automatic items continue so they can be filed on their case; only acknowledge skips them.
"""

from datetime import timedelta

from django.utils import timezone

from anliegen.core.models import Agent

from ..context import Context
from ..models import Inbound

# More items than this from one sender within the window are treated as a mail loop.
LOOP_LIMIT = 20
LOOP_WINDOW = timedelta(minutes=10)


def detect_automatic(ctx: Context) -> None:
    msg, brand = ctx.message, ctx.brand
    sender = msg.identities[0][1] if msg.identities else ""
    if msg.automatic:
        ctx.automatic = msg.automatic
    elif sender and sender.rpartition("@")[2].lower() == brand.mail_domain.lower():
        agent = Agent.objects.filter(user__email__iexact=sender, brands=brand).first()
        if agent is not None:
            ctx.agent_author = agent
        else:
            ctx.automatic = "sent from our own domain (loop)"
    elif sender and msg.identities[0][0] == "email":
        agent = Agent.objects.filter(user__email__iexact=sender, brands=brand).first()
        if agent is not None:
            ctx.agent_author = agent
    if not ctx.automatic and sender and not ctx.agent_author and _too_many_from(ctx, sender):
        ctx.automatic = f"more than {LOOP_LIMIT} messages from {sender} in {LOOP_WINDOW}"
    if ctx.automatic:
        ctx.note("detect_automatic", ctx.automatic)
    elif ctx.agent_author:
        ctx.note("detect_automatic", f"agent {ctx.agent_author.mailbox} writing from mail")


def _too_many_from(ctx: Context, sender: str) -> bool:
    since = timezone.now() - LOOP_WINDOW
    recent = Inbound.objects.filter(
        channel=ctx.inbound.channel, meta__sender=sender.lower(), received_at__gte=since
    ).exclude(pk=ctx.inbound.pk)
    return recent[: LOOP_LIMIT + 1].count() > LOOP_LIMIT
