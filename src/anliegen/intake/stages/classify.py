"""classify: language, urgency and personal data in public posts.

Reads: ctx.message. Sets: ctx.flags, the language of a new case, ctx.contact.language when unknown.
Never stops.
"""

from anliegen.core.services import language as lang

from ..context import Context


def classify(ctx: Context) -> None:
    msg = ctx.message
    text = f"{msg.subject}\n{msg.text}"
    detected = msg.language or lang.detect(text, default=ctx.brand.default_language)
    if ctx.new_case:
        ctx.case.language = detected
    if ctx.contact is not None and not ctx.contact.language:
        ctx.contact.language = detected
        if ctx.contact.pk:
            ctx.contact.save(update_fields=["language"])
    if lang.is_urgent(text):
        ctx.flags.append("urgent")
    if msg.public and lang.has_personal_data(text):
        ctx.flags.append("personal_data")
    ctx.note("classify", ",".join([detected, *ctx.flags]))
