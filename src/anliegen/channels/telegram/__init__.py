"""Telegram through the Bot API: a webhook per bot with its secret token; messages, edits, photos, documents."""
