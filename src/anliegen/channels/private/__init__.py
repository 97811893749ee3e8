"""Sending on the private channel a customer chose (WhatsApp, Telegram, SMS): never anywhere else."""
