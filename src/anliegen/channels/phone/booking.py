"""A callback booked on the call itself: the routing answer's offer when nobody is free.

The answer to a queued call carries a signed booking URL (JSON `callback.url`, the `callback_url` line, TwiML's
`<Gather>` "press 1"). The PBX POSTs to it; the booking is a Promise of kind callback owned by the case owner (a
new caller gets a contact and a case owned by the least loaded agent on shift), its window starting when the
honest wait says an agent is free. One booking per brand and call id, however often the URL is posted; the
customer is told in writing on their case's written channel (or on the case page when they have none).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.channels import registry
from anliegen.core.models import Agent, Brand, Case, CaseState, Presence
from anliegen.core.services import contacts, notices
from anliegen.promises.models import Promise
from anliegen.promises.services import PromiseInput, do_create_promise

from . import lookup
from .models import CallbackBooking
from .routing import Route

SALT = "anliegen.phone.callback-booking"
MAX_AGE = 2 * 3600  # a caller decides while on the line


def offer(route: Route, call_id: str) -> dict | None:
    """The booking a queued caller is offered, with its signed URL; None when there is no number to call back."""
    if route.action != "queue" or not route.number:
        return None
    now = timezone.now().replace(microsecond=0)  # the window travels signed in whole seconds
    start = now + timedelta(seconds=(route.wait.seconds or 0) if route.wait else 0)
    end = start + timedelta(minutes=settings.PHONE_CALLBACK_WITHIN_MINUTES)
    payload = {
        "b": route.brand.pk, "n": route.number, "c": route.case_id, "i": call_id or uuid.uuid4().hex,
        "s": int(start.timestamp()), "e": int(end.timestamp()), "l": route.language,
    }  # fmt: skip
    token = signing.dumps(payload, salt=SALT, compress=True)
    path = f"/channels/phone/callback/{token}/"  # urls.py
    return {"url": settings.BASE_URL.rstrip("/") + path, "path": path, "window_start": start, "window_end": end}


def read(token: str) -> dict:
    """The signed offer; raises signing.BadSignature (also when expired)."""
    return signing.loads(token, salt=SALT, max_age=MAX_AGE)


def check_book(offer: dict) -> tuple[Promise, bool]:
    """(the promise, True when booked now); a replayed booking of the same call returns the first one."""
    brand = Brand.objects.get(pk=offer["b"])
    found = CallbackBooking.objects.filter(brand=brand, call_id=offer["i"]).select_related("promise").first()
    if found is not None:
        return found.promise, False
    try:
        with transaction.atomic():
            promise = _book(brand, offer)
            CallbackBooking.objects.create(brand=brand, call_id=offer["i"], promise=promise)
    except IntegrityError:  # the same call booked at the same moment by another request
        return CallbackBooking.objects.select_related("promise").get(brand=brand, call_id=offer["i"]).promise, False
    case = promise.case
    notices.tell_customer(
        case, "callback_booked", gettext_lazy("Re: %(subject)s"),
        {"start": promise.due_at, "end": promise.window_end, "caller": promise.owner, "number": offer["n"]},
        author=promise.owner,
    )  # fmt: skip
    return promise, True


def _book(brand: Brand, offer: dict) -> Promise:
    case = Case.objects.filter(pk=offer["c"], brand=brand).select_related("owner").first() if offer["c"] else None
    if case is None or not case.is_open:
        case = _new_case(brand, offer)
    start = datetime.fromtimestamp(offer["s"], UTC)
    end = datetime.fromtimestamp(offer["e"], UTC)
    open_one = case.promises.filter(kind=Promise.Kind.CALLBACK, state=Promise.State.OPEN).order_by("due_at").first()
    if open_one is not None:
        return open_one  # one open callback at a time: the caller already has one
    with translation.override(case.language or brand.default_language):
        text = _("Call back %(number)s (booked on the call)") % {"number": offer["n"]}
    data = PromiseInput(kind=Promise.Kind.CALLBACK, due_at=start, window_end=end, text=text)
    return do_create_promise(case, case.owner, data, case.owner)


def _new_case(brand: Brand, offer: dict) -> Case:
    resolved = contacts.resolve(brand, [("phone", offer["n"])], language=offer["l"])
    owner = best_owner(brand, offer["l"])
    with translation.override(offer["l"] or brand.default_language):
        subject = _("Callback booked on the phone")
    return Case.objects.create(
        brand=brand, contact=resolved.contact, owner=owner, subject=subject, state=CaseState.OPEN,
        language=offer["l"] or brand.default_language, preferred_channel=registry.answering("phone"),
    )  # fmt: skip


def best_owner(brand: Brand, language: str) -> Agent:
    """Who calls a new caller back: the least loaded agent on shift who speaks their language (else the brand's)."""
    on_shift = list(Agent.objects.filter(memberships__brand=brand, presence=Presence.ONLINE, on_leave=False))
    pool = [a for a in on_shift if language in (a.languages or [])] or on_shift
    if not pool:
        return brand.default_owner or Agent.objects.filter(memberships__brand=brand).order_by("pk").first()
    loads = lookup.loads(brand.pk)
    return min(pool, key=lambda a: (loads.get(a.pk, 0) / max(a.capacity, 1), a.pk))
