"""The promise ledger's actions: give a promise within one's authority, keep, break or cancel it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.audit import services as audit
from anliegen.base import realtime
from anliegen.core.models import Agent, Case, CaseEvent
from anliegen.core.services import authority, notices
from anliegen.integrations import events

from .models import Promise


class PromiseError(ValueError):
    """A promise that cannot be given or changed; the message is shown to the agent."""


@dataclass(frozen=True)
class PromiseInput:
    kind: str
    due_at: datetime
    amount_cents: int | None = None
    text: str = ""
    window_end: datetime | None = None
    currency: str = "EUR"


def needs_of(data: PromiseInput) -> dict:
    """The authority a promise takes: a credit its amount, a replacement the permission; the rest none."""
    if data.kind == Promise.Kind.CREDIT:
        return {"credit_max_cents": data.amount_cents}
    if data.kind == Promise.Kind.REPLACEMENT:
        return {"may_replace_device": True}
    return {}


def _validate(data: PromiseInput) -> None:
    if data.kind not in Promise.Kind.values:
        raise PromiseError(_("unknown kind of promise %(kind)r") % {"kind": data.kind})
    if data.due_at is None or timezone.is_naive(data.due_at):
        raise PromiseError(_("a promise needs a due time with a time zone"))
    if data.due_at < timezone.now() - timedelta(minutes=5):
        raise PromiseError(_("the due time is in the past"))
    if data.window_end is not None and data.window_end < data.due_at:
        raise PromiseError(_("the end of the window is before its start"))
    if data.kind == Promise.Kind.CREDIT:
        amount = data.amount_cents
        if amount is None or isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise PromiseError(_("a credit needs a positive amount"))
    elif data.amount_cents is not None:
        raise PromiseError(_("only a credit has an amount"))
    if data.kind == Promise.Kind.CUSTOM and not data.text.strip():
        raise PromiseError(_("say what was promised"))
    if len(data.text) > 300:
        raise PromiseError(_("keep the description under 300 characters"))
    if len(data.currency) != 3 or not data.currency.isalpha():
        raise PromiseError(_("the currency must be a three-letter code"))


def _refusal(agent: Agent, data: PromiseInput) -> str:
    if data.kind == Promise.Kind.CREDIT:
        limit = (agent.authority or {}).get("credit_max_cents") or 0
        return _(
            "A credit of %(amount)s is beyond your authority (up to %(limit)s). Escalate it to a colleague who may decide."
        ) % {
            "amount": authority.money(data.amount_cents, data.currency),
            "limit": authority.money(limit, data.currency),
        }
    return _("You may not promise %(what)s. Escalate it to a colleague who may decide.") % {
        "what": authority.describe(needs_of(data))
    }


@transaction.atomic
def check_create_promise(case: Case, agent: Agent, data: PromiseInput, owner: Agent | None = None) -> Promise:
    """Validate a promise against the input rules and the creator's authority, then record it."""
    if not authority.is_member(agent, case.brand_id):
        raise PromiseError(_("you do not work for this brand"))
    owner = owner or agent
    if not authority.is_member(owner, case.brand_id):
        raise PromiseError(_("the promise's owner does not work for this brand"))
    if not case.is_open:
        raise PromiseError(_("the case is closed: reopen it before promising something"))
    _validate(data)
    if not authority.may_decide(agent, needs_of(data)):
        raise PromiseError(_refusal(agent, data))
    return do_create_promise(case, agent, data, owner)


def do_create_promise(case: Case, agent: Agent, data: PromiseInput, owner: Agent) -> Promise:
    promise = Promise.objects.create(
        case=case,
        brand_id=case.brand_id,
        owner=owner,
        created_by=agent,
        kind=data.kind,
        amount_cents=data.amount_cents,
        currency=data.currency.upper(),
        text=data.text.strip(),
        due_at=data.due_at,
        window_end=data.window_end,
    )
    _event(promise, agent, "promised", data.text.strip())
    return promise


def _event(promise: Promise, agent: Agent, what: str, text: str = "") -> None:
    CaseEvent.objects.create(
        case_id=promise.case_id,
        kind=CaseEvent.Kind.PROMISE,
        actor=agent,
        text=text,
        data={"promise": promise.pk, "kind": promise.kind, "state": what, "amount_cents": promise.amount_cents},
    )
    audit.record(agent, f"promise.{'made' if what == 'promised' else what}", promise, {"case": promise.case_id})
    event = {"type": f"promise.{what}", "brand": promise.brand_id, "case": promise.case_id, "promise": promise.pk}
    transaction.on_commit(lambda: realtime.publish(event | {"owner": promise.owner_id}))
    if what in ("kept", "broken"):
        events.promise_changed(promise, f"promise.{what}")


def _open_for_change(promise: Promise, agent: Agent) -> Promise:
    locked = Promise.objects.select_for_update().get(pk=promise.pk)
    if not authority.is_member(agent, locked.brand_id):
        raise PromiseError(_("you do not work for this brand"))
    if locked.state != Promise.State.OPEN:
        raise PromiseError(_("this promise is already %(state)s") % {"state": locked.get_state_display()})
    return locked


@transaction.atomic
def do_keep(promise: Promise, agent: Agent, evidence: str = "") -> Promise:
    """Mark kept with evidence (a credit needs its booking reference) and tell the customer."""
    promise = _open_for_change(promise, agent)
    evidence = (evidence or "").strip()
    if promise.kind == Promise.Kind.CREDIT and not evidence:
        raise PromiseError(_("give the booking reference of the credit"))
    promise.state, promise.evidence, promise.closed_at = Promise.State.KEPT, evidence[:300], timezone.now()
    promise.save(update_fields=["state", "evidence", "closed_at"])
    _event(promise, agent, "kept", evidence)
    case = Case.objects.select_related("brand", "owner", "contact").get(pk=promise.case_id)
    amount = ""
    if promise.amount_cents:
        from django.utils import translation

        with translation.override(case.language or case.brand.default_language):
            amount = authority.money(promise.amount_cents, promise.currency)
    notices.tell_customer(
        case,
        "promise_kept",
        gettext_lazy("Re: %(subject)s"),
        {"promise": promise, "amount": amount},
        author=agent,
    )
    return promise


@transaction.atomic
def do_break(promise: Promise, agent: Agent, reason: str) -> Promise:
    """Record honestly that a promise was not kept (the owner then tells the customer what happens now)."""
    return _close(promise, agent, Promise.State.BROKEN, reason, "broken")


@transaction.atomic
def do_cancel(promise: Promise, agent: Agent, reason: str) -> Promise:
    """Withdraw a promise that no longer applies (the customer changed their mind, the case was solved)."""
    return _close(promise, agent, Promise.State.CANCELLED, reason, "cancelled")


def _close(promise: Promise, agent: Agent, state: str, reason: str, what: str) -> Promise:
    promise = _open_for_change(promise, agent)
    reason = (reason or "").strip()
    if not reason:
        raise PromiseError(_("give a reason"))
    promise.state, promise.reason, promise.closed_at = state, reason[:300], timezone.now()
    promise.save(update_fields=["state", "reason", "closed_at"])
    _event(promise, agent, what, reason)
    return promise
