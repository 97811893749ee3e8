"""The SMS webhook: /hooks/sms/<brand slug>/ for incoming texts and for the status callbacks of ours.

Twilio posts form fields signed with X-Twilio-Signature (the account's auth token over the URL and the sorted
fields). A text is stored under its MessageSid, a status under MessageSid:MessageStatus; a number that is not
the brand's is 404. The answer is an empty TwiML response: the confirmation goes out through the API.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from anliegen.channels.webhooks import Event, Malformed, Unknown, Webhook, twilio_valid
from anliegen.core.models import Brand
from anliegen.intake.accept import Accepted

from .models import SmsNumber

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class SmsWebhook(Webhook):
    number: SmsNumber

    def known(self, request: HttpRequest, key: str) -> bool:
        brand = Brand.objects.filter(slug=key).first() if key else None
        if brand is None:
            raise Unknown(f"no brand {key!r}")
        ours = request.POST.get("To", "") if request.POST.get("MessageStatus") is None else request.POST.get("From", "")
        number = SmsNumber.objects.filter(brand=brand, number=ours).select_related("brand").first()
        if number is None:
            raise Unknown(f"{ours!r} is not a number of {key}")
        self.number = number
        return True

    def verify(self, request: HttpRequest, key: str) -> bool:
        params = {k: request.POST.getlist(k) for k in request.POST}
        given = request.headers.get("X-Twilio-Signature")
        return twilio_valid(self.number.auth_token, request.build_absolute_uri(), params, given)

    def events(self, request: HttpRequest, key: str) -> list[Event]:
        if not (request.content_type or "").startswith("application/x-www-form-urlencoded"):
            raise Malformed("a form-encoded body expected")
        sid = request.POST.get("MessageSid") or request.POST.get("SmsSid")
        if not sid:
            raise Malformed("no MessageSid")
        if request.POST.get("AccountSid") != self.number.account_sid:
            raise Unknown("another account's message")
        brand = self.number.brand
        meta = {"brand_id": brand.pk, "region": brand.default_region, "language": brand.default_language}
        status = request.POST.get("MessageStatus")
        return [Event(f"{sid}:{status}" if status else sid, request.body, meta, brand.pk)]

    def answer(self, request: HttpRequest, key: str, accepted: list[Accepted]) -> HttpResponse:
        return HttpResponse(EMPTY_TWIML, content_type="text/xml")
