"""A WhatsApp conversation for the demo brand: its number and an approved template, two customers writing.

One wrote an hour ago (free text open, answered by the owner); one wrote two days ago, so the desk shows
why only a template can go now. They arrive as Cloud API notifications through intake, as Meta would send
them; the wamids are fixed, so loading twice changes nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from anliegen.core.models import Brand, Direction, Message
from anliegen.intake.accept import accept
from anliegen.intake.pipeline import process_ids

from .models import BusinessNumber, Template

# (wamid, customer number, name, hours ago, kind, content)
MESSAGES = [
    (
        "wamid.demo-1",
        "4917612345678",
        "Jana Peters",
        1.2,
        "text",
        {
            "body": "Guten Tag, mein Internet bricht seit drei Tagen jeden Abend gegen 20 Uhr ab. Router schon neu gestartet."
        },
    ),
    (
        "wamid.demo-2",
        "4917612345678",
        "Jana Peters",
        1.1,
        "location",
        {
            "latitude": 53.5511,
            "longitude": 9.9354,
            "name": "Zähler im Keller",
            "address": "Große Bergstraße 12, Hamburg",
        },
    ),
    (
        "wamid.demo-3",
        "4915209876543",
        "Murat Kaya",
        50,
        "text",
        {
            "body": "Hallo, wann kommt der Techniker für den neuen Glasfaseranschluss? Ich habe nur Montag oder Dienstag Zeit."
        },
    ),
]
REPLY = (
    "Guten Tag Frau Peters, ich sehe die Abbrüche an Ihrem Anschluss: ein Verstärker in Ihrer Straße ist "
    "gestört. Der Techniker tauscht ihn morgen Vormittag, danach melde ich mich hier bei Ihnen."
)
TEMPLATE = "Guten Tag {{1}}, hier ist {{2}} zu Ihrem Anliegen. Antworten Sie einfach auf diese Nachricht."


def load_conversation(brand: Brand) -> int:
    number, _created = BusinessNumber.objects.get_or_create(
        brand=brand,
        defaults={
            "phone_number_id": f"demo{brand.pk}",
            "display_number": "+4940555010",
            "access_token": "demo",
            "app_secret": "demo",
            "verify_token": "demo",
        },
    )
    Template.objects.get_or_create(brand=brand, name="anliegen_update", language="de", defaults={"body": TEMPLATE})
    made = 0
    for wamid, sender, name, hours, kind, content in MESSAGES:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": number.display_number[1:], "phone_number_id": number.phone_number_id},
            "contacts": [{"profile": {"name": name}, "wa_id": sender}],
            "messages": [{"from": sender, "id": wamid, "timestamp": "0", "type": kind, kind: content}],
        }
        meta = {"region": brand.default_region, "language": brand.default_language, "brand_id": brand.pk, "demo": True}
        accepted = accept("whatsapp", wamid, json.dumps(value).encode(), meta, brand_id=brand.pk)
        if accepted.duplicate:
            continue
        process_ids([accepted.inbound_id])
        made += 1
        # As if it had come then: the window is counted from the customer's last message.
        when = timezone.now() - timedelta(hours=hours)
        Message.objects.filter(channel="whatsapp", external_id=wamid).update(created_at=when)
    if made:
        _answer(brand)
    return made


def _answer(brand: Brand) -> None:
    from anliegen.core.services.cases import do_reply

    first = Message.objects.filter(brand=brand, channel="whatsapp", external_id="wamid.demo-1").select_related("case")
    message = first.first()
    if message is not None and not message.case.messages.filter(direction=Direction.OUT, kind="message").exists():
        do_reply(message.case, message.case.owner, REPLY)
