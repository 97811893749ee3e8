"""Call events through the webhook door: /hooks/phone/<brand slug>.<line token>/?format=zammad|twilio|json.

Unknown brand or token: 401; a Twilio request whose X-Twilio-Signature does not match: 403 (logged by the
door); an event that cannot be read: 400 naming the field. Each event is stored once per call id and event.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from anliegen.channels.webhooks import Event, Malformed, Webhook, twilio_valid
from anliegen.intake.accept import Accepted

from . import events, signatures
from .models import PhoneLine


def line_for(key: str) -> PhoneLine | None:
    """The line named by `<brand slug>.<token>`; the token is compared in constant time."""
    slug, _dot, token = key.partition(".")
    line = PhoneLine.objects.select_related("brand").filter(brand__slug=slug).first()
    if line is None or not signatures.token_matches(token, line.token):
        return None
    return line


class CtiWebhook(Webhook):
    line: PhoneLine | None = None
    keys: list[str]

    def known(self, request: HttpRequest, key: str) -> bool:
        self.line = line_for(key)
        return self.line is not None

    def verify(self, request: HttpRequest, key: str) -> bool:
        if request.GET.get("format") != "twilio":
            return True  # the line's token in the URL is the PBX's proof (Zammad's generic CTI works this way)
        return twilio_valid(
            self.line.twilio_auth_token,
            request.build_absolute_uri(),
            {k: request.POST.getlist(k) for k in request.POST},
            request.headers.get("X-Twilio-Signature", ""),
        )

    def events(self, request: HttpRequest, key: str) -> list[Event]:
        fmt = request.GET.get("format", "")
        try:
            event = events.read(fmt, request.body, request.content_type or "")
        except events.EventError as exc:
            raise Malformed(str(exc)) from exc
        line = self.line
        meta = {
            "format": fmt,
            "content_type": request.content_type or "",
            "region": line.brand.default_region,
            "language": line.brand.default_language,
            "brand": line.brand_id,
            # Zammad's events carry no time: their arrival stands in for it when they are processed.
            "received_at": timezone.now().isoformat(),
        }
        self.keys = [event.key]
        return [Event(f"{line.brand_id}:{event.key}", request.body, meta, brand_id=line.brand_id)]

    def answer(self, request: HttpRequest, key: str, accepted: list[Accepted]) -> HttpResponse:
        # Zammad reads any JSON object; Twilio any 200. Saying which event was stored helps whoever sets it up.
        return JsonResponse({"accepted": True, "duplicate": accepted[0].duplicate, "event": self.keys[0]})
