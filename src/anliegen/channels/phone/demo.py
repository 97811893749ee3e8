"""Demo calls for the demo brand: its phone line, a customer's call on her case, her missed call to call back.

They arrive as Anliegen JSON events through the same door a PBX uses (intake.accept + pipeline); the ids are
fixed, so loading twice changes nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from anliegen.core.models import Brand, Identity
from anliegen.intake.accept import accept
from anliegen.intake.pipeline import process_ids

from .events import anliegen
from .models import PhoneLine

# (call id, caller, minutes ago, talk seconds or None for a missed call)
CALLS = [
    ("demo-call-umzug", "+49 40 5550 4477", 95, 212),
    ("demo-call-missed", "+49 40 5550 4477", 20, None),  # she tried again: a callback is promised
]


def load_calls(brand: Brand) -> int:
    line, _created = PhoneLine.objects.get_or_create(brand=brand)
    now = timezone.now()
    made = 0
    for call_id, caller, ago, talk in CALLS:
        start = now - timedelta(minutes=ago)
        extension = _owner_extension(brand, caller)
        events = [{"event": "ring", "at": start, "extension": extension}]
        if talk is not None:
            answered = start + timedelta(seconds=12)
            events.append({"event": "answer", "at": answered, "extension": extension})
            events.append(
                {"event": "hangup", "at": answered + timedelta(seconds=talk), "result": "answered", "duration": talk}
            )
        else:
            events.append({"event": "hangup", "at": start + timedelta(seconds=40), "result": "missed"})
        for fields in events:
            body = {
                "call_id": call_id,
                "direction": "in",
                "from": caller,
                "to": brand.hotline or "+4940000000",
                **fields,
                "at": fields["at"].isoformat(),
            }
            raw = json.dumps({k: v for k, v in body.items() if v != ""}).encode()
            key = anliegen(json.loads(raw)).key
            meta = {
                "format": "json",
                "region": brand.default_region,
                "language": brand.default_language,
                "brand": brand.pk,
                "demo": True,
            }
            accepted = accept("phone", f"{brand.pk}:{key}", raw, meta, brand_id=brand.pk)
            if not accepted.duplicate:
                process_ids([accepted.inbound_id])
                made += 1
    return made


def _owner_extension(brand: Brand, caller: str) -> str:
    """A known caller's call rings at their case owner, as routing would have chosen."""
    from .numbers import e164

    number, _problem = e164(caller, "DE")
    identity = Identity.objects.filter(brand=brand, kind="phone", value=number).select_related("contact").first()
    case = identity.contact.cases.order_by("-updated_at").select_related("owner").first() if identity else None
    return case.owner.extension if case is not None else ""
