"""The REST API (django-ninja): cases, promises, escalations and merge proposals for agents."""
