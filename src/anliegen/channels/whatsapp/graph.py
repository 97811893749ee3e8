"""Meta's Graph API for a brand's WhatsApp number: send a message, fetch a media file, check the credentials.

POST /{phone-number-id}/messages (text, or a template outside the 24 hours) answers {"messages": [{"id":
"wamid..."}]}; GET /{media-id} answers the file's short-lived URL, fetched with the same bearer token.
"""

from __future__ import annotations

from django.conf import settings

from anliegen.channels.messaging.http import ProviderError, call
from anliegen.channels.messaging.transport import Backend, Outgoing

from .models import BusinessNumber


def number_of(brand_id: int) -> BusinessNumber:
    number = BusinessNumber.objects.filter(brand_id=brand_id).order_by("id").first()
    if number is None:
        raise LookupError("this brand has no WhatsApp number")
    return number


def payload(outgoing: Outgoing) -> dict:
    """The documented body of a message to one customer: text, or an approved template with its values."""
    body: dict = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": outgoing.to.lstrip("+")}
    if outgoing.template:
        template = outgoing.template
        values = [{"type": "text", "text": str(v)} for v in template.get("parameters", [])]
        body["type"] = "template"
        body["template"] = {"name": template["name"], "language": {"code": template["language"]}}
        if values:
            body["template"]["components"] = [{"type": "body", "parameters": values}]
    else:
        body["type"] = "text"
        body["text"] = {"preview_url": False, "body": outgoing.text}
    if outgoing.reply_to:
        body["context"] = {"message_id": outgoing.reply_to}
    return body


class GraphBackend(Backend):
    def send(self, outgoing: Outgoing) -> str:
        try:
            number = number_of(outgoing.brand_id)
        except LookupError as exc:
            raise ProviderError(str(exc), permanent=True) from exc
        url = f"{settings.WHATSAPP_GRAPH_URL}/{number.phone_number_id}/messages"
        answer = call("POST", url, json=payload(outgoing), bearer=number.access_token).json()
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderError("the Graph API answered without a message id") from exc


def media(brand_id: int, media_id: str) -> tuple[bytes, str]:
    """The file behind a media id of an incoming message, and its MIME type."""
    number = number_of(brand_id)
    info = call("GET", f"{settings.WHATSAPP_GRAPH_URL}/{media_id}", bearer=number.access_token).json()
    if not info.get("url"):
        raise ProviderError(f"no URL for media {media_id}")
    answer = call("GET", info["url"], bearer=number.access_token)
    return answer.body, info.get("mime_type") or answer.content_type


def check(brand: object) -> str:
    """The number's verified business name and number, as Meta has them (the health page's credentials check)."""
    number = number_of(brand.pk)
    url = f"{settings.WHATSAPP_GRAPH_URL}/{number.phone_number_id}?fields=verified_name,display_phone_number"
    info = call("GET", url, bearer=number.access_token).json()
    return f"{info.get('verified_name', '?')} · {info.get('display_phone_number', number.display_number)}"
