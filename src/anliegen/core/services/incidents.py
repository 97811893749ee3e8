"""Incidents: which active incident a message is about."""

from django.utils import timezone

from anliegen.core.models import Brand, Incident


def match(brand: Brand, text: str) -> Incident | None:
    lowered = text.lower()
    now = timezone.now()
    for incident in _active(brand):
        if incident.starts_at > now or (incident.ends_at and incident.ends_at < now):
            continue
        if any(k.lower() in lowered for k in incident.keywords if k.strip()):
            return incident
    return None


def _active(brand: Brand) -> list[Incident]:
    """The brand's active incidents; an intake batch reads them once for all its messages."""
    from anliegen.intake import batch

    scope = batch.current()
    if scope is None:
        return list(Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE))
    if brand.pk not in scope.incidents:
        scope.incidents[brand.pk] = list(Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE))
    return scope.incidents[brand.pk]
