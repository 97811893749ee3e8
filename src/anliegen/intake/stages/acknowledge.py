"""acknowledge: confirm on the sender's channel, naming the owner, the direct lines and when the answer comes.

Reads: ctx.case, ctx.stored, ctx.automatic, ctx.agent_author. Appends to ctx.outbound.
Skips automatic items, agents' own mail, follow-ups confirmed a few minutes ago and form posts past the
per-address limit (no mail storms).
"""

from anliegen.core.services import confirmations

from ..context import Context


def acknowledge(ctx: Context) -> None:
    if ctx.automatic:
        ctx.note("acknowledge", "not acknowledged: automatic")
        return
    if quiet := ctx.inbound.meta.get("quiet"):
        ctx.note("acknowledge", f"not acknowledged: {quiet}")
        return
    if ctx.inbound.meta.get("no_acknowledge"):
        ctx.note("acknowledge", "not acknowledged: imported with --no-acknowledge")
        return
    if ctx.agent_author is not None:
        ctx.note("acknowledge", "agent's own reply, sent on to the customer")
        return
    sent = confirmations.confirm(
        ctx.case,
        ctx.message,
        channel=ctx.inbound.channel,
        brand=ctx.brand or ctx.case.brand,
        contact=ctx.contact,
        stored=ctx.stored,
        new_case=ctx.new_case,
        new_contact=ctx.new_contact,
        reopened=ctx.reopened,
    )
    ctx.outbound.extend(sent)
    ctx.note("acknowledge", f"{len(sent)} confirmation(s)" if sent else "recently confirmed, none sent")
