"""Callbacks: promised for a missed call, dialled from the desk, kept by the call that reaches the customer.

An unanswered attempt is recorded (it is a call on the case like any other), the promise moves on by
PHONE_CALLBACK_RETRY_MINUTES, and the customer is told in writing when we will try again.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.core.models import Agent, Brand, Case, CaseEvent
from anliegen.core.services import answer_time, authority, notices
from anliegen.promises.models import Promise
from anliegen.promises.services import PromiseError, PromiseInput, do_create_promise, do_keep

from .calls import Summary
from .dialers import DialError, get_dialer
from .models import Call, CallbackBooking, CallResult

UNANSWERED = (CallResult.MISSED, CallResult.BUSY, CallResult.VOICEMAIL)


def window() -> timedelta:
    return timedelta(minutes=settings.PHONE_CALLBACK_WITHIN_MINUTES)


def after_call(brand: Brand, case: Case, call: Call, summary: Summary) -> None:
    """What a call's merged facts mean for the case's callbacks (called for every event of the call)."""
    if call.direction == "in":
        _missed_inbound(brand, case, call, summary)
    elif summary.ended:
        _outbound_attempt(case, call, summary)


def _missed_inbound(brand: Brand, case: Case, call: Call, summary: Summary) -> None:
    """A missed inbound call in service hours is a promise to call back; an answer found later cancels it."""
    if call.callback_id and summary.result == CallResult.ANSWERED:
        Promise.objects.filter(pk=call.callback_id, state=Promise.State.OPEN).update(
            state=Promise.State.CANCELLED, reason="the call was answered after all", closed_at=timezone.now()
        )
        return
    if call.callback_id or summary.result not in UNANSWERED or not summary.ended:
        return
    booked = CallbackBooking.objects.filter(brand=brand, call_id=call.call_id).values_list("promise_id", flat=True)
    if booked:  # the caller booked their callback on this call: that is the promise
        Call.objects.filter(pk=call.pk).update(callback_id=booked[0])
        call.callback_id = booked[0]
        return
    if not answer_time.in_service_hours(brand, summary.ended_at):
        return
    with translation.override(case.language or brand.default_language):
        text = _("Call back %(number)s (missed call)") % {"number": call.number}
    due = summary.ended_at
    promise = do_create_promise(
        case, case.owner, PromiseInput(kind=Promise.Kind.CALLBACK, due_at=due, window_end=due + window(), text=text),
        case.owner,
    )  # fmt: skip
    call.callback = promise
    Call.objects.filter(pk=call.pk).update(callback=promise)


def _outbound_attempt(case: Case, call: Call, summary: Summary) -> None:
    """Our call to the customer: answered keeps their open callback, unanswered moves it on and tells them."""
    if Call.objects.filter(pk=call.pk, callback__isnull=False).exists():
        return  # this call already settled a promise (a later event of it changes nothing)
    promise = Promise.objects.filter(case=case, kind=Promise.Kind.CALLBACK, state=Promise.State.OPEN).first()
    if promise is None:
        return
    agent = call.agent or case.owner
    Call.objects.filter(pk=call.pk).update(callback=promise)
    if summary.result == CallResult.ANSWERED:
        with contextlib.suppress(PromiseError):  # someone kept or closed it meanwhile
            do_keep(promise, agent, evidence=f"call {call.call_id}")
        return
    retry = timezone.now() + timedelta(minutes=settings.PHONE_CALLBACK_RETRY_MINUTES)
    Promise.objects.filter(pk=promise.pk).update(due_at=retry, window_end=retry + window(), reminded_at=None)
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.PROMISE, actor=agent, text=f"callback not answered ({summary.result})",
        data={"promise": promise.pk, "kind": "callback", "state": "rescheduled", "call": call.call_id},
    )  # fmt: skip
    notices.tell_customer(
        case, "callback_missed", gettext_lazy("Re: %(subject)s"), {"retry": retry, "caller": agent}, author=agent
    )


class CallbackError(ValueError):
    """A dial request that cannot be made; the message is shown to the agent."""


@transaction.atomic
def check_dial(promise: Promise, agent: Agent) -> str:
    """Ask the PBX to ring the agent's extension and then the customer's number; returns the PBX's id."""
    if not authority.is_member(agent, promise.brand_id):
        raise CallbackError(_("you do not work for this brand"))
    if not agent.extension:
        raise CallbackError(_("you have no extension the PBX could ring"))
    number = _number(promise.case)
    if not number:
        raise CallbackError(_("the customer has no phone number"))
    try:
        request_id = get_dialer().dial(extension=agent.extension, number=number, reference=f"callback-{promise.pk}")
    except DialError as exc:
        raise CallbackError(_("the PBX did not take the call: %(error)s") % {"error": exc}) from exc
    CaseEvent.objects.create(
        case=promise.case, kind=CaseEvent.Kind.PROMISE, actor=agent, text=f"dialled {number} from {agent.extension}",
        data={"promise": promise.pk, "kind": "callback", "state": "dialled", "request": request_id},
    )  # fmt: skip
    return request_id


def _number(case: Case) -> str:
    identity = case.contact.identities.filter(kind="phone").order_by("-verified", "-created_at").first()
    return identity.value if identity else ""
