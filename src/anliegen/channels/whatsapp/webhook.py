"""WhatsApp's webhook: /hooks/whatsapp/<brand slug>/ (the callback URL of the brand's Meta app).

GET is Meta's subscription check (hub.mode=subscribe, hub.verify_token, hub.challenge). POST bodies are signed
with the app secret (X-Hub-Signature-256: sha256=<hex>). One body may carry several messages and statuses; each
is stored on its own, under its wamid (a status under wamid:status), as the body's own structure narrowed to it.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from anliegen.channels.webhooks import Event, Malformed, Unknown, Webhook, check_hmac, same
from anliegen.core.models import Brand

from .models import BusinessNumber


class WhatsAppWebhook(Webhook):
    brand: Brand
    numbers: list[BusinessNumber]

    def known(self, request: HttpRequest, key: str) -> bool:
        brand = Brand.objects.filter(slug=key).first() if key else None
        self.numbers = list(BusinessNumber.objects.filter(brand=brand)) if brand else []
        if not self.numbers:
            raise Unknown(f"no WhatsApp number for {key!r}")
        self.brand = brand
        return True

    def handshake(self, request: HttpRequest, key: str) -> HttpResponse | None:
        self.known(request, key)
        token = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and any(same(n.verify_token, token) for n in self.numbers):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("bad verify token", status=403, content_type="text/plain")

    def verify(self, request: HttpRequest, key: str) -> bool:
        given = request.headers.get("X-Hub-Signature-256")
        return any(check_hmac(n.app_secret, request.body, given, prefix="sha256=") for n in self.numbers)

    def events(self, request: HttpRequest, key: str) -> list[Event]:
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise Malformed("not JSON") from exc
        if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
            raise Malformed("not a whatsapp_business_account notification")
        ours = {n.phone_number_id for n in self.numbers}
        meta = {"region": self.brand.default_region, "language": self.brand.default_language, "brand_id": self.brand.pk}
        found: list[Event] = []
        for entry in _list(data.get("entry")):
            for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
                value = change.get("value") if isinstance(change, dict) else None
                if not isinstance(value, dict) or change.get("field") != "messages":
                    continue  # account and template updates: nothing for a case
                metadata = value.get("metadata") or {}
                if str(metadata.get("phone_number_id", "")) not in ours:
                    raise Unknown("a notification for a number that is not this brand's")
                found += _split(value, meta, self.brand.pk)
        return found


def _split(value: dict, meta: dict, brand_id: int) -> list[Event]:
    common = {"messaging_product": "whatsapp", "metadata": value.get("metadata"), "contacts": value.get("contacts", [])}
    found = []
    for message in _list(value.get("messages")):
        if not isinstance(message, dict) or not message.get("id") or not message.get("from"):
            raise Malformed("a message without id or sender")
        raw = json.dumps(common | {"messages": [message]}, ensure_ascii=False).encode()
        found.append(Event(str(message["id"]), raw, meta, brand_id))
    for status in _list(value.get("statuses")):
        if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
            raise Malformed("a status without message id or status")
        raw = json.dumps({"metadata": value.get("metadata"), "statuses": [status]}, ensure_ascii=False).encode()
        found.append(Event(f"{status['id']}:{status['status']}", raw, meta, brand_id))
    return found


def _list(value: object) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed("a list expected")
    return value
