"""Twilio's REST API (or a compatible provider's): send a text, check the account.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json with To, From, Body (up to 1600 characters, split into
segments by the provider) and StatusCallback; Basic auth with the account SID and auth token; the answer's
"sid" (SM...) is the message's id, which the status callbacks name.
"""

from __future__ import annotations

from django.conf import settings

from anliegen.base.sms.transport import BaseSmsBackend, SmsError
from anliegen.channels.messaging.http import ProviderError, call

from .models import SmsNumber


def messages_url(account_sid: str) -> str:
    return f"{settings.TWILIO_API_URL}/2010-04-01/Accounts/{account_sid}/Messages.json"


class TwilioBackend(BaseSmsBackend):
    """The SMS transport for SMS_BACKEND: the brand's number's account, else TWILIO_ACCOUNT_SID (codes)."""

    def __init__(self) -> None:
        self.status_callback = ""

    def send(self, to: str, text: str, sender: str = "") -> str:
        number = SmsNumber.objects.filter(number=sender).first() if sender else None
        sid = number.account_sid if number else settings.TWILIO_ACCOUNT_SID
        token = number.auth_token if number else settings.TWILIO_AUTH_TOKEN
        if not sid or not token:
            raise ProviderError("no Twilio account for this sender", permanent=True)
        form = {"To": to, "From": sender or settings.TWILIO_FROM, "Body": text}
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        answer = call("POST", messages_url(sid), form=form, basic=(sid, token)).json()
        if not answer.get("sid"):
            raise SmsError("the provider answered without a message sid")
        return str(answer["sid"])


def check(brand: object) -> str:
    number = SmsNumber.objects.filter(brand_id=brand.pk).order_by("id").first()
    if number is None:
        raise LookupError("this brand has no SMS number")
    url = f"{settings.TWILIO_API_URL}/2010-04-01/Accounts/{number.account_sid}.json"
    account = call("GET", url, basic=(number.account_sid, number.auth_token)).json()
    return f"{account.get('friendly_name', number.account_sid)} ({account.get('status', '?')}) · {number.number}"
