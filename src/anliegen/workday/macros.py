"""Macros: a brand's text blocks with placeholders, and what applying one does to the case (state, note, promise)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anliegen.audit import services as audit
from anliegen.base.prepared import Prepared
from anliegen.core import roles
from anliegen.core.case_links import case_url
from anliegen.core.models import Agent, Case
from anliegen.core.services import case_updates, cases
from anliegen.promises import services as promises

from .models import Macro

PLACEHOLDER = re.compile(r"\{(\w+)\}")


class MacroError(ValueError):
    """The macro cannot be applied to this case; the message is shown to the agent."""


@dataclass(frozen=True)
class Applied:
    text: str  # the rendered text for the reply composer
    changed: list[str]  # what else the macro did, as shown to the agent


def available(case: Case) -> QuerySet[Macro]:
    """The active macros of the case's brand, those in the case's language first."""
    return Macro.objects.filter(brand_id=case.brand_id, active=True).order_by("name", "language")


_AVAILABLE = Prepared(lambda brand: available(Case(brand_id=brand))[:200])


def for_case(case: Case) -> list[Macro]:
    macros = _AVAILABLE(brand=case.brand_id)
    return sorted(macros, key=lambda m: (m.language != case.language, m.name.lower()))


def values(case: Case) -> dict[str, str]:
    """What each placeholder stands for in this case."""
    owner = case.owner
    return {
        "customer": case.contact.name or "",
        "owner": owner.name,
        "owner_extension": _direct_line(case),
        "owner_address": owner.reply_address(case.brand, case.reply_token),
        "case_link": case_url(case),
        "case_reference": case.reply_token,
    }


def _direct_line(case: Case) -> str:
    # The extension alone means nothing to a customer: with the brand's hotline it is a number to dial.
    extension = case.owner.extension
    if not extension:
        return case.brand.hotline or ""
    return f"{case.brand.hotline}-{extension}" if case.brand.hotline else extension


def render(macro: Macro, case: Case) -> str:
    """The macro's text with its placeholders filled; an unknown placeholder stays as written."""
    if macro.brand_id != case.brand_id:
        raise MacroError(_("This macro belongs to another brand."))
    return fill(macro.body, case)


def fill(text: str, case: Case) -> str:
    filled = values(case)
    return PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), text)


@transaction.atomic
def check_apply(case: Case, agent: Agent, macro: Macro) -> Applied:
    """Render the macro and carry out its actions on the case; all or nothing."""
    text = render(macro, case)
    changed = []
    if macro.note.strip():
        case_updates.note(case, agent, fill(macro.note, case))
        changed.append(_("note added"))
    if macro.promise_kind:
        due = timezone.now() + timedelta(hours=macro.promise_hours)
        data = promises.PromiseInput(kind=macro.promise_kind, due_at=due, text=macro.promise_text)
        try:
            promises.check_create_promise(case, agent, data, owner=case.owner)
        except promises.PromiseError as exc:
            raise MacroError(str(exc)) from exc
        changed.append(_("promise made"))
    if macro.set_state and macro.set_state != case.state:
        try:
            case_updates.change_state(case, agent, macro.set_state)
        except cases.CaseError as exc:
            raise MacroError(str(exc)) from exc
        changed.append(_("state set to %(state)s") % {"state": case.get_state_display()})
    audit.record(agent, audit.Action.CASE_MACRO, case, {"macro": macro.pk})
    return Applied(text, changed)


FIELDS = ("language", "name", "body", "set_state", "note", "promise_kind", "promise_text", "promise_hours", "active")


@transaction.atomic
def check_save_macro(agent: Agent, brand_id: int, data: dict, macro: Macro | None = None) -> Macro:
    """Create or change a brand's macro; supervisors and admins of that brand only, never a credit promise."""
    if not roles.has(agent, brand_id, roles.SUPERVISOR) or (macro and macro.brand_id != brand_id):
        raise MacroError(_("Only a supervisor of the brand keeps its text blocks."))
    if data.get("promise_kind") == "credit":
        raise MacroError(_("A text block cannot promise a credit."))
    macro = macro or Macro(brand_id=brand_id)
    for name in FIELDS:
        if name in data:
            setattr(macro, name, data[name])
    try:
        macro.full_clean()
    except ValidationError as exc:
        raise MacroError(" ".join(exc.messages)) from exc
    macro.save()
    return macro
