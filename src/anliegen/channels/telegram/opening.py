"""Writing first on Telegram: the bot's t.me link; a bot cannot write to someone who never wrote to it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anliegen.core.models import Agent, Brand, Case, Message
from anliegen.core.services.cases import CaseError

from .models import Bot


def start_link(brand: Brand) -> str:
    bot = Bot.objects.filter(brand_id=brand.pk).order_by("id").first()
    return f"https://t.me/{bot.username}" if bot else ""


def opener(case: Case, agent: Agent, text: str, address: str) -> Message | None:
    if not address:
        raise CaseError(_("A Telegram bot cannot write first: the customer starts the chat."))
    return None
