"""What other parts (channels, phone routing, chat) ask self-service: active incidents, matching articles."""

from .incidents import active_incidents, affects

__all__ = ["active_incidents", "affects"]
