"""Integrations: API tokens of other systems and the outgoing webhooks that tell them what happened."""
