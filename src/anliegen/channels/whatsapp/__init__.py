"""WhatsApp through Meta's Cloud API: webhook, messages and statuses in, text and templates out, the 24 hours."""
