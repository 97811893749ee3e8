"""Meta's messaging platform: Facebook Messenger and Instagram messages (private), page comments (public)."""
