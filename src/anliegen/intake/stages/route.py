"""route: give a new case its owner at once; an existing case keeps its owner.

Reads: ctx.case (brand, language, needs), ctx.new_case. Sets: case.owner (and case.team when a team takes
what the case asks for) for new cases.
Stops: Quarantine only when the brand has no agent at all (never a case without an owner).
"""

from anliegen.routing import owners

from ..context import Context, Quarantine


def route(ctx: Context) -> None:
    if not ctx.new_case:
        ctx.note("route", f"kept owner {ctx.case.owner.mailbox}")
        return
    team = owners.team_for(ctx.brand, ctx.case.needs)
    choice = owners.choose_owner(ctx.brand, language=ctx.case.language, needs=ctx.case.needs, team=team)
    if choice is None:
        raise Quarantine(f"brand {ctx.brand.slug} has no agent who could own the case")
    ctx.case.owner = choice.agent
    # The team only when one of its members owns it (a team without members in the brand routes brand-wide).
    ctx.case.team = team if team is not None and choice.agent.pk in owners.member_ids(team) else None
    ctx.note("route", choice.reason)
