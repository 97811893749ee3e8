"""What the private messaging channels (WhatsApp, Telegram, SMS) share: the provider API client, health, sending."""
