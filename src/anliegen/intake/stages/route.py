"""route: give a new case its owner at once; an existing case keeps its owner.

Reads: ctx.case (brand, language, needs), ctx.new_case. Sets: case.owner for new cases.
Stops: Quarantine only when the brand has no agent at all (never a case without an owner).
"""

from anliegen.routing import owners

from ..context import Context, Quarantine


def route(ctx: Context) -> None:
    if not ctx.new_case:
        ctx.note("route", f"kept owner {ctx.case.owner.mailbox}")
        return
    choice = owners.choose_owner(ctx.brand, language=ctx.case.language, needs=ctx.case.needs)
    if choice is None:
        raise Quarantine(f"brand {ctx.brand.slug} has no agent who could own the case")
    ctx.case.owner = choice.agent
    ctx.note("route", choice.reason)
