"""thread: attach the message to the case it belongs to, or prepare a new case.

Reads: ctx.message (case_id, recipients, in_reply_to, subject), ctx.contact, ctx.automatic.
Sets: ctx.case (unsaved when new), ctx.new_case, ctx.reopened.
Stops: Discard for automatic items that belong to no case (they never open a concern of their own);
Quarantine when an agent's mail cannot be tied to a case of theirs.
"""

from anliegen.base import batch
from anliegen.channels import registry
from anliegen.core.services import case_matching

from ..context import Context, Discard, Quarantine
from ..models import Inbound, InboundState


def thread(ctx: Context) -> None:
    # A contact made for this very message has no earlier case to share a topic with: skip that lookup.
    contact = None if ctx.new_contact else ctx.contact
    # A form's answer (a thanks page with the case link) goes to whoever sent it, not to the address it names.
    signed_only = registry.spec(ctx.inbound.channel).signed_links_only
    found = case_matching.find_case(
        ctx.brand, ctx.message, contact, strict=bool(ctx.agent_author), signed_only=signed_only
    )
    if found is None and signed_only and (alike := case_matching.find_case(ctx.brand, ctx.message, contact)):
        # Probably the same concern; an agent (or the customer, proving the address) may merge them.
        ctx.case = case_matching.new_case(ctx.brand, ctx.contact, ctx.message, ctx.inbound.channel)
        ctx.new_case = True
        ctx.note("thread", f"new case; like case {alike[0].pk} ({alike[1]}), not joined: the form proves no address")
        return
    if found is not None:
        ctx.case, how = found
        ctx.note("thread", how)
        _requeue_answered(ctx)
        _adopt_early_replies(ctx)
        return
    if ctx.agent_author is not None:
        raise Quarantine("mail from an agent that names no case (no reply token, no known reply headers)")
    if ctx.automatic:
        raise Discard(f"automatic ({ctx.automatic}) and tied to no case")
    ctx.case = case_matching.new_case(ctx.brand, ctx.contact, ctx.message, ctx.inbound.channel)
    ctx.new_case = True
    ctx.note("thread", "new case")
    _requeue_answered(ctx)


def _adopt_early_replies(ctx: Context) -> None:
    """Replies to this message that came first opened a case only because this one was missing: join them.

    Only such stand-in cases are merged (opened by that reply, nobody has answered on them yet), so two
    concerns an agent already works on separately are never put together.
    """
    from anliegen.core.models import Case, Direction, Message, MessageKind
    from anliegen.core.services.merge import do_merge_cases

    external_id = ctx.message.external_id
    if not external_id or ctx.agent_author is not None:
        return
    rows = case_matching.message_rows("in_reply_to", [external_id])
    for case_id in {c for _m, c, b in rows if b == ctx.brand.pk and c != ctx.case.pk}:
        batch.before_read([("case", case_id), ("messages of", case_id)])
        first = Message.objects.filter(case_id=case_id).order_by("id").values_list("in_reply_to", flat=True).first()
        answered = Message.objects.filter(case_id=case_id, direction=Direction.OUT).exclude(
            kind=MessageKind.CONFIRMATION
        )
        source = Case.objects.filter(pk=case_id, merged_into__isnull=True).first()
        if source is not None and first == external_id and not answered.exists():
            do_merge_cases(ctx.case, source, None)
            batch.forget_reads()  # messages moved case: the batch's read of them is out of date
            ctx.note("thread", f"{ctx.trace['thread']}; joined case {case_id} its earlier reply had opened")


def _requeue_answered(ctx: Context) -> None:
    """Automatic mail filed away for want of a case, which this message answers, now has one: process it again.

    It then finds this message's case by the reverse In-Reply-To lookup, so the thread stays whole. (Not
    filtered by brand: the rerun parses its own brand again, and another brand's mail stays discarded.)
    """
    ids = ctx.message.in_reply_to[:20]
    if not ids or ctx.automatic:
        return
    channel, scope = ctx.inbound.channel, batch.current()
    if scope is not None and scope.discarded is not None:
        # Read with the batch, with the items it discarded itself (pipeline.run): nothing else can be requeued.
        ids = [i for i in ids if (channel, i) in scope.discarded]
        if not ids:
            return
        scope.discarded.difference_update((channel, i) for i in ids)
    batch.before_read(("inbound", channel, i) for i in ids)  # an outcome of this batch not written yet
    requeued = Inbound.objects.filter(
        channel=channel,
        external_id__in=ids,
        state=InboundState.DISCARDED,
        case__isnull=True,
    ).update(state=InboundState.RECEIVED, stage="", reason="")
    if requeued:
        from django.db import transaction

        from ..wakeup import wake

        transaction.on_commit(wake)
