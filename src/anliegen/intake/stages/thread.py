"""thread: attach the message to the case it belongs to, or prepare a new case.

Reads: ctx.message (case_id, recipients, in_reply_to, subject), ctx.contact, ctx.automatic.
Sets: ctx.case (unsaved when new), ctx.new_case, ctx.reopened.
Stops: Discard for automatic items that belong to no case (they never open a concern of their own);
Quarantine when an agent's mail cannot be tied to a case of theirs.
"""

from anliegen.core.services import threading as case_threading

from ..context import Context, Discard, Quarantine


def thread(ctx: Context) -> None:
    found = case_threading.find_case(ctx.brand, ctx.message, ctx.contact, strict=bool(ctx.agent_author))
    if found is not None:
        ctx.case, how = found
        ctx.note("thread", how)
        return
    if ctx.agent_author is not None:
        raise Quarantine("mail from an agent that names no case (no reply token, no known reply headers)")
    if ctx.automatic:
        raise Discard(f"automatic ({ctx.automatic}) and tied to no case")
    ctx.case = case_threading.new_case(ctx.brand, ctx.contact, ctx.message, ctx.inbound.channel)
    ctx.new_case = True
    ctx.note("thread", "new case")
