"""A channel as small as one can be, for the webhook door's tests: a spec, a parser, a sender, a webhook.

A provider POSTs {"id", "from", "text"} signed with X-Signature: sha256=<hex HMAC of the body>; replies are
kept in `outbox` (what a locmem transport does).
"""

from __future__ import annotations

import json

from django.http import HttpRequest

from anliegen.base.parsed import ParsedMessage
from anliegen.channels import webhooks
from anliegen.channels.registry import ChannelSpec
from anliegen.core.models import Brand

SECRET = "sample-secret"
outbox: list[tuple[str, str]] = []

SPEC = ChannelSpec(
    "sample",
    parse=f"{__name__}.parse",
    send=f"{__name__}.send",
    identity="phone",
    confirm="sample",
    max_length=160,
    webhook=f"{__name__}.Hook",
)


def sign(body: bytes) -> dict[str, str]:
    return {"X-Signature": "sha256=" + webhooks.digest(SECRET, body)}


class Hook(webhooks.Webhook):
    def verify(self, request: HttpRequest, key: str) -> bool:
        return webhooks.check_hmac(SECRET, request.body, request.headers.get("X-Signature"), prefix="sha256=")

    def events(self, request: HttpRequest, key: str) -> list[webhooks.Event]:
        data = json.loads(request.body)
        if not isinstance(data, dict) or not data.get("id") or not data.get("from"):
            raise webhooks.Malformed("an event needs an id and a sender")
        brand_id = Brand.objects.filter(slug=key).values_list("id", flat=True).first()
        if brand_id is None:
            raise webhooks.Malformed(f"no brand {key!r}")
        return [webhooks.Event(str(data["id"]), request.body, {"peer": "sample"}, brand_id)]


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    data = json.loads(raw)
    return ParsedMessage(identities=[("phone", data["from"])], text=data.get("text", ""), external_id=data["id"])


def send(message) -> None:  # noqa: ANN001 - a Message
    outbox.append((message.address, message.body_text[: SPEC.max_length]))
