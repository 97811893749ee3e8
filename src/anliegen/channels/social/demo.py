"""Public posts for the demo brand: its X account and Facebook page, and what customers post there.

An outage report on X (linked to the TV incident), a page comment with an IBAN and a phone number (masked in
the desk, answered publicly without them), a question and praise on X. They arrive as the providers' webhook
events through intake; the ids are fixed, so loading twice changes nothing. The incident's opening is posted on
both accounts (the console transport writes it to the log until real API access is set up).
"""

from __future__ import annotations

import json
import time

from anliegen.core.models import Brand, Incident
from anliegen.intake.accept import accept
from anliegen.intake.pipeline import process_ids

from .models import Account, Provider

X_ID, PAGE = "1457832567105961987", "104512345678901"
# (tweet id, user id, handle, name, language, text)
TWEETS = [
    ("1863101000000000001", "2244994945", "anna_schulz_hh", "Anna Schulz", "de",
     "@kabelwelle_hilft Fernseher schwarz, kein Signal in 22529. Ausgerechnet heute zum Finale! Bei euch auch?"),
    ("1863101000000000002", "783214", "tombaker", "Tom Baker", "en",
     "@kabelwelle_hilft how do I move my contract when I move house in March?"),
    ("1863101000000000003", "5550123", "mehmet_hh", "Mehmet Yilmaz", "de",
     "@kabelwelle_hilft Danke an Lena, Gutschrift ist da wie versprochen 👍"),
]  # fmt: skip
COMMENT = {
    "from": {"id": "7788990011223344", "name": "Petra Wagner"},
    "post_id": f"{PAGE}_900100200300",
    "comment_id": "900100200300_4455667788",
    "parent_id": f"{PAGE}_900100200300",
    "item": "comment",
    "verb": "add",
    "message": (
        "Seit drei Tagen ruckelt das Internet und die Hotline hängt mich nach 40 Minuten ab. Ruft mich an unter "
        "0170 1234567, meine IBAN DE89 3704 0044 0532 0130 00 habt ihr ja, abbuchen klappt ja auch!"
    ),
}


def load_posts(brand: Brand) -> None:
    x, _new = Account.objects.get_or_create(
        provider=Provider.X, account_id=X_ID,
        defaults={"brand": brand, "handle": "kabelwelle_hilft", "app_secret": "demo-x-consumer-secret"},
    )  # fmt: skip
    Account.objects.get_or_create(
        provider=Provider.FACEBOOK, account_id=PAGE,
        defaults={"brand": brand, "handle": brand.name, "app_secret": "demo-meta-app-secret", "verify_token": "demo"},
    )  # fmt: skip
    now = int(time.time() * 1000)
    for tweet_id, user_id, handle, name, language, text in TWEETS:
        user = {"id_str": user_id, "screen_name": handle, "name": name}
        body = {"for_user_id": X_ID, "tweet_create_events": [
            {"id_str": tweet_id, "text": text, "user": user, "lang": language, "timestamp_ms": str(now)}
        ]}  # fmt: skip
        _arrive(
            "x", f"x.tweet.{tweet_id}", body, {"account": x.pk, "brand": brand.pk, "kind": "tweet", "index": 0}, brand
        )
    created = int(now / 1000)
    page = {"object": "page", "entry": [{"id": PAGE, "time": now, "changes": [
        {"field": "feed", "value": {**COMMENT, "created_time": created}}
    ]}]}  # fmt: skip
    meta = {"brand": brand.pk, "entry": 0, "item": 0, "provider": "facebook", "kind": "feed"}
    _arrive("facebook_page", f"meta.comment.{COMMENT['comment_id']}", page, meta, brand)
    _post_incident(brand)


def _arrive(channel: str, external_id: str, body: dict, meta: dict, brand: Brand) -> None:
    accepted = accept(channel, external_id, json.dumps(body, ensure_ascii=False).encode(), meta, brand_id=brand.pk)
    if not accepted.duplicate:
        process_ids([accepted.inbound_id])  # a no-op when intake runs eagerly


def _post_incident(brand: Brand) -> None:
    from .proactive import publish_update

    incident = Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE, public=True).order_by("id").first()
    opened = incident.updates.filter(kind="opened").first() if incident is not None else None
    if opened is not None:
        publish_update(opened)  # once per account: a second load finds the posts
