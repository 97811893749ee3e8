"""store: write the case (when new), the message and its attachments.

Reads: everything before. Sets: ctx.stored. Reopens a solved or waiting case on a customer message.
Never stops on purpose.
"""

from anliegen.core.services import messages

from ..context import Context


def store(ctx: Context) -> None:
    result = messages.record_inbound(ctx)
    ctx.stored = result.message
    ctx.reopened = result.reopened
    ctx.note("store", f"message {result.message.pk} on case {ctx.case.pk}")
