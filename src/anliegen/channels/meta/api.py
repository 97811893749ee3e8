"""Meta's Graph API as a social transport backend (settings.META_GRAPH_URL, e.g. https://graph.facebook.com/v21.0).

dm: POST /<page or Instagram account id>/messages {"recipient": {"id"}, "messaging_type": "RESPONSE",
"message": {"text"}} -> message_id; comment: POST /<comment or post id>/comments {"message"} -> id;
post: POST /<page id>/feed {"message"} -> id. The page access token goes as the bearer.
"""

from __future__ import annotations

import re

from django.conf import settings

from anliegen.channels.messaging.http import call
from anliegen.channels.social.transport import COMMENT, DM, POST, BaseBackend, Outgoing, SendError

GRAPH_ID = re.compile(r"^[0-9_]+$")


class GraphApi(BaseBackend):
    def send(self, outgoing: Outgoing) -> str:
        base = settings.META_GRAPH_URL.rstrip("/")
        account = outgoing.account
        if not account.access_token:
            raise SendError("the page has no access token")
        if outgoing.action == DM:
            node, edge, key = account.account_id, "messages", "message_id"
            body = {
                "recipient": {"id": outgoing.target},
                "messaging_type": "RESPONSE",
                "message": {"text": outgoing.text},
            }
        elif outgoing.action == COMMENT:
            node, edge, key, body = outgoing.target, "comments", "id", {"message": outgoing.text}
        elif outgoing.action == POST:
            node, edge, key, body = account.account_id, "feed", "id", {"message": outgoing.text}
        else:
            raise SendError(f"Meta cannot {outgoing.action}")
        if not GRAPH_ID.match(node) or (outgoing.action == DM and not GRAPH_ID.match(outgoing.target)):
            raise SendError(f"not a Graph id: {node!r}")
        answer = call("POST", f"{base}/{node}/{edge}", json=body, bearer=account.access_token).json()
        sent = str(answer.get(key) or "")
        if not sent:
            raise SendError(f"Meta answered without {key}: {answer.get('error') or answer}")
        return sent
