"""Incidents: which active incident a message is about."""

from django.utils import timezone

from anliegen.core.models import Brand, Incident


def match(brand: Brand, text: str) -> Incident | None:
    lowered = text.lower()
    now = timezone.now()
    for incident in Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE, starts_at__lte=now):
        if incident.ends_at and incident.ends_at < now:
            continue
        if any(k.lower() in lowered for k in incident.keywords if k.strip()):
            return incident
    return None
