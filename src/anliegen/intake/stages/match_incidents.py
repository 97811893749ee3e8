"""match_incidents: link the case to an active incident of the brand the message is about.

A reply to the brand's public post about an incident is about that incident (the channel spec's `incident_of`).

Reads: ctx.message text and in_reply_to, ctx.brand, ctx.case, ctx.flags (a public post classified as an outage report). Sets: ctx.incident and case.incident (when not linked yet).
Never stops.
"""

from anliegen.channels import registry
from anliegen.core.services import incidents

from ..context import Context


def match_incidents(ctx: Context) -> None:
    if ctx.automatic or ctx.agent_author is not None:
        return
    if ctx.case.incident_id:
        ctx.incident = ctx.case.incident
        return
    text = f"{ctx.message.subject}\n{ctx.message.text}"
    incident = registry.incident_replied_to(ctx.brand.pk, ctx.message.in_reply_to) or incidents.match(
        ctx.brand, text, outage_report="post:outage" in ctx.flags
    )
    if incident is not None:
        ctx.incident = incident
        ctx.case.incident = incident
        ctx.note("match_incidents", f"incident {incident.pk}")
