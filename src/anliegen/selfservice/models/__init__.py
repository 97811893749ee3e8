"""Self-service models: incident updates and notices, articles, feedback, deflection outcomes."""

from .incidents import IncidentNotice, IncidentUpdate

__all__ = ["IncidentNotice", "IncidentUpdate"]
