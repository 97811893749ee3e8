"""Booking a free callback from the case page or the web form's confirmation, with the honest hotline wait."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anliegen.base import ratelimit
from anliegen.channels.phone import offers
from anliegen.core import case_links as links
from anliegen.core.models import Case


class CallbackForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=gettext_lazy("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    number = forms.CharField(label=gettext_lazy("Your phone number"), max_length=40)

    def window(self) -> tuple[datetime, datetime]:
        """The chosen window in the site's time zone (where the brand's service hours are kept too)."""
        day, tz = self.cleaned_data["day"], timezone.get_current_timezone()
        return (
            datetime.combine(day, self.cleaned_data["start"], tzinfo=tz),
            datetime.combine(day, self.cleaned_data["end"], tzinfo=tz),
        )


def initial_window(now: datetime | None = None) -> dict:
    """The next full hour and the hour after it: the quickest window one can pick."""
    start = timezone.localtime(now or timezone.now()).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    end = start + timedelta(hours=1)
    return {
        "day": start.date(),
        "start": start.time(),
        "end": end.time() if end.date() == start.date() else time(23, 59),
    }


def callback_context(case: Case, token: str, back: str = "") -> dict:
    """What the case page and the confirmation page show: the wait, a booked callback or the form to book one."""
    wait = offers.wait_sentence(case.brand, case.language)
    booked = offers.open_booking(case)
    if not case.brand.hotline or not case.is_open:
        return {"hotline_wait": wait, "callback_booked": booked}
    form = CallbackForm(initial=initial_window() | {"number": offers.default_number(case)})
    return {
        "hotline_wait": wait,
        "callback_booked": booked,
        "callback_form": None if booked else form,
        "callback_action": reverse("portal:callback", args=[token]) + (f"?back={back}" if back else ""),
    }


@require_POST
def book(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case = links.case_from_token(token)
    except links.LinkError:
        return redirect(reverse("portal:case", args=[token]))  # the case page explains the link
    back = request.GET.get("back", "")
    # Back only to our own confirmation page of this brand (no open redirect).
    target = back if back.startswith(f"/{case.brand.slug}/contact/thanks/") else reverse("portal:case", args=[token])
    form = CallbackForm(request.POST)
    if not ratelimit.consume("callback-ip", [ratelimit.client_ip(request)]):
        flash.error(request, _("Too many requests in a short time. Please try again later."))
        return ratelimit.too_many(redirect(target + "#callback"))
    if not form.is_valid():
        flash.error(request, _("Please give a day, a time window and your phone number."))
        return redirect(target + "#callback")
    start, end = form.window()
    try:
        promise = offers.check_book(case, start, end, form.cleaned_data["number"])
    except offers.BookingError as exc:
        flash.error(request, str(exc))
        return redirect(target + "#callback")
    when = f"{timezone.localtime(promise.due_at):%d.%m.%Y %H:%M}–{timezone.localtime(promise.window_end):%H:%M}"
    flash.success(
        request,
        _("%(owner)s will call you back free of charge on %(when)s.") % {"owner": case.owner.name, "when": when},
    )
    return redirect(target + "#callback")
