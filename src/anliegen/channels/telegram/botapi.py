"""The Bot API for a brand's bot: sendMessage, getFile and the file download, getMe (the credentials check).

Every method answers {"ok": true, "result": ...} or {"ok": false, "error_code", "description"}.
"""

from __future__ import annotations

from django.conf import settings

from anliegen.channels.messaging.http import ProviderError, call
from anliegen.channels.messaging.transport import Backend, Outgoing

from .models import Bot


def bot_of(brand_id: int) -> Bot:
    bot = Bot.objects.filter(brand_id=brand_id).order_by("id").first()
    if bot is None:
        raise LookupError("this brand has no Telegram bot")
    return bot


def method(bot: Bot, name: str, body: dict | None = None) -> object:
    url = f"{settings.TELEGRAM_API_URL}/bot{bot.token}/{name}"
    answer = call("POST" if body is not None else "GET", url, json=body).json()
    if not answer.get("ok"):
        raise ProviderError(f"{name}: {answer.get('description', 'refused')}", code=str(answer.get("error_code", "")))
    return answer.get("result")


def message_id(chat_id: object, message_id: object) -> str:
    """A message's id within the brand: Telegram numbers messages per chat."""
    return f"tg:{chat_id}:{message_id}"


class BotApiBackend(Backend):
    def send(self, outgoing: Outgoing) -> str:
        try:
            bot = bot_of(outgoing.brand_id)
        except LookupError as exc:
            raise ProviderError(str(exc), permanent=True) from exc
        body: dict = {"chat_id": outgoing.to, "text": outgoing.text}
        if outgoing.reply_to.startswith(f"tg:{outgoing.to}:"):
            body["reply_parameters"] = {
                "message_id": int(outgoing.reply_to.rpartition(":")[2]),
                "allow_sending_without_reply": True,
            }
        result = method(bot, "sendMessage", body)
        if not isinstance(result, dict) or "message_id" not in result:
            raise ProviderError("sendMessage answered without a message id")
        return message_id(outgoing.to, result["message_id"])


def download(brand_id: int, file_id: str) -> bytes:
    """A file of an incoming message: getFile names its path, the file URL serves it (up to 20 MB)."""
    bot = bot_of(brand_id)
    info = method(bot, "getFile", {"file_id": file_id})
    path = info.get("file_path") if isinstance(info, dict) else None
    if not path:
        raise ProviderError(f"getFile gave no path for {file_id}")
    return call("GET", f"{settings.TELEGRAM_API_URL}/file/bot{bot.token}/{path}").body


def check(brand: object) -> str:
    me = method(bot_of(brand.pk), "getMe")
    return f"@{me.get('username', '?')} ({me.get('first_name', '')})" if isinstance(me, dict) else "?"
