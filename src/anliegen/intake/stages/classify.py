"""classify: language, intent (what a decision needs), urgency, and a public post's kind and personal data.

Reads: ctx.message. Sets: ctx.flags, the language and needs of a new case, ctx.contact.language when unknown.
Never stops.
"""

from anliegen.core import intents
from anliegen.core.services import language as lang
from anliegen.core.services import personal_data, post_kinds

from ..context import Context


def classify(ctx: Context) -> None:
    msg = ctx.message
    text = f"{msg.subject}\n{msg.text}"
    found = ctx.language or msg.language or lang.detect(text, default=ctx.brand.default_language)
    detected = ctx.brand.answer_language(found)  # a brand answers only in the languages it speaks
    ctx.language = detected
    if ctx.new_case:
        ctx.case.language = detected
        # Routing reads the needs next: a credit request goes to someone who may grant it.
        ctx.case.needs = {**intents.needs_for(text), **(ctx.case.needs or {})}
    if ctx.contact is not None and not ctx.contact.language:
        ctx.contact.language = detected
        if not ctx.contact._state.adding:  # a new contact is written with the batch, language included
            ctx.contact.save(update_fields=["language"])
    if lang.is_urgent(text):
        ctx.flags.append("urgent")
    if msg.public:
        # complaint, question, praise or outage report: a complaint is answered sooner (store), an outage
        # report needs less evidence for the incident it is about (match_incidents)
        ctx.flags.append(f"post:{post_kinds.classify(msg.text)}")
    if msg.public and (found := personal_data.kinds(text, ctx.brand.default_region)):
        ctx.flags.append("personal_data")
        ctx.flags.extend(f"personal_data:{kind}" for kind in found)
    needs = ctx.case.needs if ctx.new_case else {}
    ctx.note("classify", ",".join([detected, *ctx.flags, *(f"{k}={v}" for k, v in needs.items())]))
