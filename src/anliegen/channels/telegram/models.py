"""A brand's Telegram bots: the token BotFather gave, and the secret the webhook is registered with."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bot(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="telegram_bots")
    username = models.CharField(_("username"), max_length=64, help_text=_("without @, e.g. StadtwerkNordBot"))
    token = models.CharField(_("bot token"), max_length=128, unique=True)
    # setWebhook's secret_token: Telegram sends it back in X-Telegram-Bot-Api-Secret-Token with every update.
    secret_token = models.CharField(_("webhook secret"), max_length=256)

    class Meta:
        verbose_name = _("Telegram bot")
        verbose_name_plural = _("Telegram bots")

    def __str__(self) -> str:
        return f"@{self.username}"

    @property
    def bot_id(self) -> str:
        """The number before the colon of the token: the webhook's key (hooks/telegram/<bot id>/)."""
        return self.token.partition(":")[0]
