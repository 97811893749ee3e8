"""store: write the case (when new), the message and its attachments.

Reads: everything before. Sets: ctx.stored. Reopens a solved or waiting case on a customer message.
Never stops on purpose.
"""

from anliegen.channels import registry
from anliegen.core.services import messages

from ..context import Context


def store(ctx: Context) -> None:
    record = registry.recorder(ctx.inbound.channel)
    if record is not None:
        result = record(ctx)  # the channel stores its items its own way (a call: one message for all its events)
    else:
        result = messages.record_inbound(
            ctx.case,
            ctx.message,
            inbound=ctx.inbound,
            brand=ctx.brand,
            contact=ctx.contact,
            new_case=ctx.new_case,
            trace=ctx.trace,
            agent_author=ctx.agent_author,
            automatic=ctx.automatic,
            incident=ctx.incident,
            public_complaint="post:complaint" in ctx.flags,
        )
    ctx.stored = result.message
    ctx.reopened = result.reopened
    ctx.note("store", f"message {result.message.pk} on case {ctx.case.pk}")
