"""What a customer is offered beside the phone: the honest hotline wait, and a free callback they book.

The wait is the Erlang C estimate of waits.py (the routing answer's); it is shown on the web form and in
confirmations on other channels when the brand has a hotline. A callback the customer books (on the web form's
confirmation page or the case page) is a Promise of kind callback owned by the case's owner, due at the start
of the chosen window and kept by the call that reaches the customer (callbacks.py).
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anliegen.base import batch
from anliegen.core.models import Brand, Case, IdentityKind
from anliegen.core.services import contacts
from anliegen.promises.models import Promise
from anliegen.promises.services import PromiseInput, do_create_promise

from . import waits

# The windows a customer may choose: at least this long, at most this long, starting within this many days.
MIN_WINDOW = timedelta(minutes=30)
MAX_WINDOW = timedelta(hours=4)
BOOK_AHEAD = timedelta(days=14)


class BookingError(ValueError):
    """A callback that cannot be booked as asked; the message is shown to the customer."""


def hotline_wait(brand: Brand) -> waits.Estimate | None:
    """The current estimate, or None when the brand has no hotline to wait at."""
    if not brand.hotline:
        return None
    return waits.for_brand(brand)


def wait_sentence(brand: Brand, language: str = "") -> str:
    """'The hotline has a wait of about 4 minutes right now — or we call you back for free.' ('' without one)."""
    estimate = hotline_wait(brand)
    if estimate is None:
        return ""
    with translation.override(language or brand.default_language):
        if estimate.minutes is None:
            return _("Nobody is at the hotline right now — we will gladly call you back for free.")
        return ngettext(
            "The hotline has a wait of about %(minutes)d minute right now — or we call you back for free.",
            "The hotline has a wait of about %(minutes)d minutes right now — or we call you back for free.",
            estimate.minutes,
        ) % {"minutes": estimate.minutes}


def confirmation_extra(case: Case, language: str) -> dict:
    """What every confirmation says of the phone (the phone spec's `confirmation_extra`): the hotline's wait."""
    scope = batch.current()
    if scope is None:
        return {"hotline_wait": wait_sentence(case.brand, language)}
    key = ("hotline_wait", case.brand_id, language)
    if key not in scope.memo:
        scope.memo[key] = wait_sentence(case.brand, language)
    return {"hotline_wait": scope.memo[key]}


def open_booking(case: Case) -> Promise | None:
    """The customer's callback already booked and still open (one at a time)."""
    return case.promises.filter(kind=Promise.Kind.CALLBACK, state=Promise.State.OPEN).order_by("due_at").first()


def default_number(case: Case) -> str:
    found = contacts.primary(case.contact, IdentityKind.PHONE)
    return found.value if found else ""


@transaction.atomic
def check_book(case: Case, start: datetime, end: datetime, number: str, now: datetime | None = None) -> Promise:
    """Book a callback in [start, end] to `number` for the case's owner; refused with a reason the customer reads."""
    now = now or timezone.now()
    if not case.is_open:
        raise BookingError(_("This request is closed; write to us and we will call you back."))
    if start < now - timedelta(minutes=5) or start > now + BOOK_AHEAD:
        raise BookingError(_("Choose a time from now to 14 days ahead."))
    if not MIN_WINDOW <= end - start <= MAX_WINDOW:
        raise BookingError(_("Choose a window of at least 30 minutes and at most 4 hours."))
    try:
        number = contacts.normalise(IdentityKind.PHONE, number, case.brand.default_region)
    except ValueError as exc:
        raise BookingError(_("This is not a phone number we can call.")) from exc
    if open_booking(case) is not None:
        raise BookingError(_("A callback is already booked for this request."))
    with contextlib.suppress(contacts.ContactError):
        contacts.check_add_identity(case.contact, IdentityKind.PHONE, number)  # known for the next call
    with translation.override(case.language or case.brand.default_language):
        text = _("Call back %(number)s (booked by the customer)") % {"number": number}
    owner = case.owner
    data = PromiseInput(kind=Promise.Kind.CALLBACK, due_at=max(start, now), window_end=end, text=text)
    return do_create_promise(case, owner, data, owner)
