"""X's Account Activity webhook: /hooks/x/<brand slug>/.

GET ?crc_token=... is X's challenge-response check: answered with the HMAC-SHA256 of the token under the
app's consumer secret (base64, "sha256=" first). A POST carries x-twitter-webhooks-signature, the same HMAC of
the body. Its for_user_id must be one of the brand's X accounts (else 404). Each tweet and direct message is
stored on its own id (x: "x.tweet.<id>", x_dm: "x.dm.<id>"); the account's own tweets and messages (our
replies, echoed back) and events we do not read (likes, follows, typing) are acknowledged and not stored. A
deleted tweet (tweet_delete_events) is stored too: its text leaves the case (social/deleted.py).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from anliegen.channels import webhooks
from anliegen.channels.social import accounts
from anliegen.channels.social.models import Account, Provider

SIGNATURE = "x-twitter-webhooks-signature"


def crc_response(secret: str, crc_token: str) -> str:
    return "sha256=" + webhooks.digest(secret, crc_token.encode(), encoding="base64")


class XWebhook(webhooks.Webhook):
    accounts: list[Account]

    def known(self, request: HttpRequest, key: str) -> bool:
        self.accounts = [a for a in accounts.of_brand(key, (Provider.X,)) if a.app_secret]
        if not self.accounts:
            raise webhooks.Unknown(f"no X account for {key!r}")
        return True

    def handshake(self, request: HttpRequest, key: str) -> HttpResponse | None:
        self.known(request, key)
        token = request.GET.get("crc_token", "")
        if not token:
            return HttpResponse("crc_token missing", status=400, content_type="text/plain")
        return JsonResponse({"response_token": crc_response(self.accounts[0].app_secret, token)})

    def verify(self, request: HttpRequest, key: str) -> bool:
        given = request.headers.get(SIGNATURE, "")
        return any(
            webhooks.check_hmac(a.app_secret, request.body, given, encoding="base64", prefix="sha256=")
            for a in self.accounts
        )

    def events(self, request: HttpRequest, key: str) -> list[webhooks.Event]:
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise webhooks.Malformed("not JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("for_user_id"), str):
            raise webhooks.Malformed("an Account Activity event names for_user_id")
        account = next((a for a in self.accounts if a.account_id == data["for_user_id"]), None)
        if account is None:
            raise webhooks.Unknown(f"for_user_id {data['for_user_id']!r} is not an account of {key!r}")
        meta = {"account": account.pk, "brand": account.brand_id}
        found = []
        for index, tweet in enumerate(_list(data, "tweet_create_events")):
            author = str((tweet.get("user") or {}).get("id_str") or "")
            if not tweet.get("id_str") or not author:
                raise webhooks.Malformed("a tweet without id_str or user")
            if author == account.account_id:
                continue  # our own tweet: a reply we sent, echoed back
            event_meta = {**meta, "kind": "tweet", "index": index}
            found.append(webhooks.Event(f"x.tweet.{tweet['id_str']}", request.body, event_meta, account.brand_id))
        for index, deleted in enumerate(_list(data, "tweet_delete_events")):
            status = deleted.get("status") or {}
            if status.get("id") and str(status.get("user_id")) != account.account_id:
                event_meta = {**meta, "kind": "delete", "index": index}
                found.append(webhooks.Event(f"x.delete.{status['id']}", request.body, event_meta, account.brand_id))
        for index, event in enumerate(_list(data, "direct_message_events")):
            if event.get("type") != "message_create":
                continue
            sender = str(((event.get("message_create") or {}).get("sender_id")) or "")
            if not event.get("id") or not sender:
                raise webhooks.Malformed("a direct message without id or sender_id")
            if sender == account.account_id:
                continue  # sent by the account (from the desk or the X app)
            event_meta = {**meta, "kind": "dm", "index": index}
            found.append(
                webhooks.Event(f"x.dm.{event['id']}", request.body, event_meta, account.brand_id, channel="x_dm")
            )
        return found


def _list(data: dict, name: str) -> list[dict]:
    items = data.get(name) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise webhooks.Malformed(f"{name} is not a list of objects")
    return items
