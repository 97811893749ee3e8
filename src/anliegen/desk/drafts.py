"""Composer drafts: what an agent typed into a case's reply or note survives other cases, reloads and devices."""

from __future__ import annotations

from anliegen.base.prepared import Prepared
from anliegen.core.models import Agent, Case

from .models import Draft

MAX_LENGTH = 50_000  # the reply form's own limit


def do_save(agent: Agent, case: Case, kind: str, text: str) -> None:
    """Keep the text (the caller checked the agent may see the case); an empty composer leaves no draft."""
    if not text.strip():
        do_discard(agent, case, kind)
        return
    Draft.objects.update_or_create(agent=agent, case=case, kind=kind, defaults={"text": text[:MAX_LENGTH]})


def do_discard(agent: Agent, case: Case, kind: str) -> None:
    Draft.objects.filter(agent=agent, case=case, kind=kind).delete()


_TEXTS = Prepared(lambda agent, case: Draft.objects.filter(agent_id=agent, case_id=case).values_list("kind", "text"))


def texts(agent: Agent, case: Case) -> dict[str, str]:
    """{kind: text} of the agent's drafts on the case, for the composers' initial values."""
    return dict(_TEXTS(agent=agent.pk, case=case.pk))
