"""The X API v2 as a social transport backend (settings.X_API_URL, default https://api.x.com).

reply: POST /2/tweets {"text", "reply": {"in_reply_to_tweet_id"}}; post: POST /2/tweets {"text"};
dm: POST /2/dm_conversations/with/<participant id>/messages {"text"}. Each with the account's OAuth 2.0 user
access token as the bearer; the answer's data.id (tweets) or data.dm_event_id (messages) is the provider's id.
"""

from __future__ import annotations

from django.conf import settings

from anliegen.channels.messaging.http import call
from anliegen.channels.social.transport import DM, POST, REPLY, BaseBackend, Outgoing, SendError


class XApi(BaseBackend):
    def send(self, outgoing: Outgoing) -> str:
        base = settings.X_API_URL.rstrip("/")
        if outgoing.action != POST and not outgoing.target.isdigit():
            raise SendError(f"not an X id: {outgoing.target!r}")
        if outgoing.action == DM:
            url, body, key = f"{base}/2/dm_conversations/with/{outgoing.target}/messages", {}, "dm_event_id"
        elif outgoing.action in (REPLY, POST):
            url, body, key = f"{base}/2/tweets", {}, "id"
            if outgoing.action == REPLY:
                body["reply"] = {"in_reply_to_tweet_id": outgoing.target}
        else:
            raise SendError(f"X cannot {outgoing.action}")
        if not outgoing.account.access_token:
            raise SendError("the X account has no access token")
        body["text"] = outgoing.text
        answer = call("POST", url, json=body, bearer=outgoing.account.access_token).json()
        posted = str((answer.get("data") or {}).get(key) or "")
        if not posted:
            raise SendError(f"X answered without {key}: {answer.get('errors') or answer}")
        return posted
