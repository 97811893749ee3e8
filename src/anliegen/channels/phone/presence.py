"""Agents' phone presence: set by call events and the desk toggle, read by routing, shown to supervisors."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anliegen.base import realtime
from anliegen.core.models import Agent

from .calls import Summary
from .models import AgentPhone, PhoneState

TOGGLE_STATES = (PhoneState.AVAILABLE, PhoneState.AWAY)


def wrap_up_seconds() -> int:
    return settings.PHONE_WRAP_UP_SECONDS


def effective(state: str, since: object, now: object = None) -> str:
    """Wrap-up ends by itself: after the brand's wrap-up time the agent can take the next call."""
    if state == PhoneState.WRAP_UP and since is not None:
        now = now or timezone.now()
        if now - since >= timedelta(seconds=wrap_up_seconds()):
            return PhoneState.AVAILABLE
    return state


def states(agent_ids: list[int]) -> dict[int, str]:
    """agent id → effective phone state; an agent who never used the phone is available."""
    rows = AgentPhone.objects.filter(agent_id__in=agent_ids).values_list("agent_id", "state", "since")
    found = {a: effective(s, since) for a, s, since in rows}
    return {a: found.get(a, PhoneState.AVAILABLE) for a in agent_ids}


def do_set_state(agent: Agent, state: str, call_id: str = "", only_from: tuple[str, ...] = ()) -> bool:
    """Set one agent's state; `only_from` limits the change to agents in those states (for this call)."""
    row, _created = AgentPhone.objects.get_or_create(agent=agent)
    current = effective(row.state, row.since)
    if only_from and current not in only_from:
        return False
    if row.state == state and row.call_id == call_id:
        return False
    AgentPhone.objects.filter(pk=row.pk).update(state=state, call_id=call_id, since=timezone.now())
    event = {"type": "phone.presence", "agent": agent.pk, "state": state}
    brand_ids = list(agent.memberships.values_list("brand_id", flat=True))
    transaction.on_commit(lambda: realtime.publish_many([{**event, "brand": b} for b in brand_ids]))
    return True


def check_toggle(agent: Agent, state: str) -> None:
    """The desk toggle: an agent says they take calls or not; ringing and calls are the PBX's to tell."""
    if state not in TOGGLE_STATES:
        raise ValueError(f"{state!r} is not something an agent sets by hand")
    do_set_state(agent, state)


def apply_call(call_id: str, summary: Summary, agents: dict[str, Agent]) -> None:
    """Bring the agents a call touches into the state its merged facts imply (order of events does not matter).

    `agents` maps the call's extensions to agents. Away is never overwritten: the agent said so.
    """
    mine = (PhoneState.RINGING, PhoneState.ON_CALL)
    for ext in summary.ringing:
        agent = agents.get(ext)
        if agent is None or ext == summary.extension:
            continue
        if summary.answered_at or summary.ended:
            _release(agent, call_id, PhoneState.AVAILABLE, (PhoneState.RINGING,))
        else:
            do_set_state(agent, PhoneState.RINGING, call_id, only_from=(PhoneState.AVAILABLE,))
    for ext in summary.previous:  # transferred away: their part of the call is over
        if (agent := agents.get(ext)) is not None and ext != summary.extension:
            _release(agent, call_id, PhoneState.WRAP_UP, mine)
    agent = agents.get(summary.extension)
    if agent is None:
        return
    if summary.ended:
        _release(agent, call_id, PhoneState.WRAP_UP, mine)
    elif summary.answered_at:
        do_set_state(agent, PhoneState.ON_CALL, call_id, only_from=(PhoneState.AVAILABLE, PhoneState.RINGING))


def _release(agent: Agent, call_id: str, to: str, only_from: tuple[str, ...]) -> None:
    row = AgentPhone.objects.filter(agent=agent).values_list("call_id", flat=True).first()
    if row == call_id:  # an agent already on their next call stays there
        do_set_state(agent, to, "", only_from=only_from)
