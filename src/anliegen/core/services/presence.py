"""An agent's presence (available, busy, away...), which routing reads to choose owners."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anliegen.core.models import Agent, Presence

from .cases import CaseError


def set_presence(agent: Agent, presence: str) -> None:
    if presence not in Presence.values:
        raise CaseError(_("Unknown presence."))
    Agent.objects.filter(pk=agent.pk).update(presence=presence)
    agent.presence = presence
