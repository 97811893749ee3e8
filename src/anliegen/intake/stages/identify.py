"""identify: find or create the Contact behind the sender's identities.

Reads: ctx.message.identities, sender_name, ctx.brand. Sets: ctx.contact.
Skipped for an agent writing from their mail client. Never merges two existing contacts: when the
given identities belong to different contacts, the first one wins and the conflict is traced for a person.
Automatic mail without a usable sender (`From: MAILER-DAEMON`) goes on without a contact: thread files it on
its case or discards it; only a person's message without one is quarantined.
"""

from anliegen.core.services import contacts
from anliegen.core.services import language as lang

from ..context import Context, Quarantine


def identify(ctx: Context) -> None:
    if ctx.agent_author is not None:
        ctx.note("identify", "agent author, no contact")
        return
    msg = ctx.message
    # Known now, so a new contact is written with its language (no second write in classify).
    ctx.language = msg.language or lang.detect(f"{msg.subject}\n{msg.text}", default=ctx.brand.default_language)
    try:
        if not msg.identities:
            raise ValueError("the sender left no address, number or handle to answer")
        result = contacts.resolve(ctx.brand, msg.identities, name=msg.sender_name, language=ctx.language)
    except ValueError as exc:
        if ctx.automatic:
            ctx.note("identify", f"automatic, no usable sender ({exc})")
            return
        raise Quarantine(f"no usable sender: {exc}") from None
    ctx.contact = result.contact
    ctx.new_contact = result.created
    ctx.note("identify", result.outcome)
