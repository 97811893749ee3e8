"""Domain services: every state change of the core happens in one of these modules."""
