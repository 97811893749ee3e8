"""notify: push the new message to the owner's desk and the brand's queue once the batch is committed.

Reads: ctx.case, ctx.stored, ctx.new_case. Never stops.
"""

from django.db import transaction

from anliegen.base import batch, realtime

from ..context import Context


def notify(ctx: Context) -> None:
    case, stored = ctx.case, ctx.stored
    event = {
        "type": "case.created" if ctx.new_case else "case.updated",
        "case": case.pk,
        "brand": case.brand_id,
        "owner": case.owner_id,
        "subject": case.subject,
        "message": stored.pk if stored else None,
    }
    if batch.current() is not None:
        ctx.event = event  # the runner publishes the whole batch's events after its commit
    else:
        transaction.on_commit(lambda: realtime.publish(event))
    ctx.note("notify", event["type"])
