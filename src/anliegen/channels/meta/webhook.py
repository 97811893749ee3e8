"""Meta's webhook for a brand's page and Instagram account: /hooks/facebook/<brand slug>/.

GET is the subscription handshake: hub.mode=subscribe with the verify token set up for the brand's account
is answered with hub.challenge, anything else 403. A POST carries X-Hub-Signature-256 (sha256=<hex HMAC of
the body under the app secret>). Every entry's id must be the brand's page or Instagram account (else 404).
Stored, each on the provider's id: messages and their edits and postbacks (Messenger -> facebook, Instagram
-> instagram), comments and visitor posts on the page (facebook_page, public), delivery and read receipts
(recorded on our outgoing messages, no case). Echoes of our own messages and reactions are acknowledged and
not stored.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from anliegen.channels import webhooks
from anliegen.channels.social import accounts
from anliegen.channels.social.models import Account, Provider

OBJECTS = {"page": Provider.FACEBOOK, "instagram": Provider.INSTAGRAM}
PRIVATE = {Provider.FACEBOOK: "facebook", Provider.INSTAGRAM: "instagram"}


class MetaWebhook(webhooks.Webhook):
    accounts: list[Account]

    def known(self, request: HttpRequest, key: str) -> bool:
        self.accounts = accounts.of_brand(key, tuple(OBJECTS.values()))
        if not self.accounts:
            raise webhooks.Unknown(f"no Meta account for {key!r}")
        return True

    def handshake(self, request: HttpRequest, key: str) -> HttpResponse | None:
        self.known(request, key)
        given = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") != "subscribe" or not any(
            webhooks.same(a.verify_token, given) for a in self.accounts
        ):
            return HttpResponse("bad verify token", status=403, content_type="text/plain")
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")

    def verify(self, request: HttpRequest, key: str) -> bool:
        given = request.headers.get("X-Hub-Signature-256", "")
        secrets = {a.app_secret for a in self.accounts if a.app_secret}
        return any(webhooks.check_hmac(s, request.body, given, prefix="sha256=") for s in secrets)

    def events(self, request: HttpRequest, key: str) -> list[webhooks.Event]:
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise webhooks.Malformed("not JSON") from exc
        if not isinstance(data, dict) or data.get("object") not in OBJECTS:
            raise webhooks.Malformed("object is neither page nor instagram")
        provider = OBJECTS[data["object"]]
        found: list[webhooks.Event] = []
        for e, entry in enumerate(_list(data, "entry")):
            account = next(
                (a for a in self.accounts if a.provider == provider and a.account_id == str(entry.get("id"))), None
            )
            if account is None:
                raise webhooks.Unknown(f"{data['object']} {entry.get('id')!r} is not an account of {key!r}")
            meta = {"account": account.pk, "brand": account.brand_id, "entry": e, "provider": provider}
            for i, item in enumerate(_list(entry, "messaging")):
                if (event := _messaging(request.body, account, item, {**meta, "item": i})) is not None:
                    found.append(event)
            for i, change in enumerate(_list(entry, "changes")):
                if (event := _change(request.body, account, change, {**meta, "item": i})) is not None:
                    found.append(event)
        return found


def _messaging(body: bytes, account: Account, item: dict, meta: dict) -> webhooks.Event | None:
    channel = PRIVATE[account.provider]
    if str((item.get("sender") or {}).get("id", "")) in ("", account.account_id):
        return None  # sent by the page itself (an echo), or a receipt without a person
    if isinstance(message := item.get("message"), dict):
        if message.get("is_echo"):
            return None
        key, kind = f"meta.{_need(message, 'mid')}", "message"
    elif isinstance(edit := item.get("message_edit"), dict):
        key, kind = f"meta.edit.{_need(edit, 'mid')}.{edit.get('num_edit', 0)}", "edit"
    elif isinstance(postback := item.get("postback"), dict):
        key, kind = f"meta.postback.{postback.get('mid') or item.get('timestamp')}", "postback"
    elif isinstance(receipt := item.get("delivery") or item.get("read"), dict):
        # Kept like a message and applied to our outgoing messages by the parser (messaging.receipts).
        kind = "delivery" if "delivery" in item else "read"
        key = f"meta.{kind}.{item['sender']['id']}.{receipt.get('watermark', item.get('timestamp'))}"
    else:
        return None  # a reaction or a referral: nothing a person has to answer
    return webhooks.Event(key, body, {**meta, "kind": kind}, account.brand_id, channel=channel)


def _change(body: bytes, account: Account, change: dict, meta: dict) -> webhooks.Event | None:
    value = change.get("value")
    if (
        change.get("field") != "feed"
        or not isinstance(value, dict)
        or value.get("verb") not in ("add", "edited", "remove")
    ):
        return None
    if value["verb"] == "remove":
        # The author took the comment back: stored, and its text leaves the case (social/deleted.py).
        if value.get("item") != "comment" or not value.get("comment_id"):
            return None
        return webhooks.Event(
            f"meta.remove.{value['comment_id']}",
            body,
            {**meta, "kind": "remove"},
            account.brand_id,
            channel="facebook_page",
        )
    author = str((value.get("from") or {}).get("id", ""))
    if not author or author == account.account_id:
        return None  # the page's own comment or post (ours, or an update posted by the brand)
    if value.get("item") == "comment":
        key = f"meta.comment.{_need(value, 'comment_id')}"
    elif value.get("item") in ("post", "status", "photo"):
        key = f"meta.post.{_need(value, 'post_id')}"
    else:
        return None
    if value["verb"] == "edited":
        key += f".edit.{value.get('created_time', '')}"
    return webhooks.Event(key, body, {**meta, "kind": "feed"}, account.brand_id, channel="facebook_page")


def _need(data: dict, name: str) -> str:
    if not data.get(name):
        raise webhooks.Malformed(f"{name} missing")
    return str(data[name])


def _list(data: dict, name: str) -> list[dict]:
    items = data.get(name) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise webhooks.Malformed(f"{name} is not a list of objects")
    return items
