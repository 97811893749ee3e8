"""Telegram's webhook: /hooks/telegram/<bot id>/, registered by setWebhook with a secret_token.

Each update is stored under <bot id>:<update_id> (Telegram repeats an update until it gets a 200). Updates
other than message and edited_message are answered 200 and not stored: nothing in them is for a case.
"""

from __future__ import annotations

import json

from django.http import HttpRequest

from anliegen.channels.webhooks import Event, Malformed, Unknown, Webhook, same

from .models import Bot

KINDS = ("message", "edited_message")


class TelegramWebhook(Webhook):
    bot: Bot

    def known(self, request: HttpRequest, key: str) -> bool:
        bot = Bot.objects.select_related("brand").filter(token__startswith=f"{key}:").first() if key.isdigit() else None
        if bot is None:
            raise Unknown(f"no bot {key!r}")
        self.bot = bot
        return True

    def verify(self, request: HttpRequest, key: str) -> bool:
        return same(self.bot.secret_token, request.headers.get("X-Telegram-Bot-Api-Secret-Token"))

    def events(self, request: HttpRequest, key: str) -> list[Event]:
        try:
            update = json.loads(request.body)
        except ValueError as exc:
            raise Malformed("not JSON") from exc
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise Malformed("an update needs its update_id")
        kind = next((k for k in KINDS if k in update), "")
        if not kind:
            return []
        message = update[kind]
        if not isinstance(message, dict) or not isinstance(message.get("chat"), dict) or "message_id" not in message:
            raise Malformed(f"{kind} without chat or message_id")
        brand = self.bot.brand
        meta = {"brand_id": brand.pk, "bot": self.bot.bot_id, "language": brand.default_language}
        return [Event(f"{self.bot.bot_id}:{update['update_id']}", request.body, meta, brand.pk)]
