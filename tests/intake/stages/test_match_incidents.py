"""match_incidents: a message about a known disruption is linked to the active incident."""

from datetime import timedelta

from django.utils import timezone

from anliegen.base.parsed import ParsedMessage
from anliegen.core.models import Case, Incident
from anliegen.intake.stages.match_incidents import match_incidents


def test_keyword_links_to_the_active_incident_only(make_ctx, brand):
    now = timezone.now()
    active = Incident.objects.create(
        brand=brand,
        title="TV-Signal gestört",
        keywords=["fernseher schwarz", "kein signal"],
        starts_at=now - timedelta(hours=1),
    )
    Incident.objects.create(
        brand=brand,
        title="Alt",
        keywords=["fernseher"],
        starts_at=now - timedelta(days=3),
        state=Incident.State.RESOLVED,
    )
    ctx = make_ctx(ParsedMessage(text="Mein Fernseher schwarz seit 20 Uhr"))
    ctx.case = Case(brand=brand)
    match_incidents(ctx)
    assert ctx.incident == active and ctx.case.incident == active


def test_no_incident_no_link(make_ctx, brand):
    ctx = make_ctx(ParsedMessage(text="Rechnung falsch"))
    ctx.case = Case(brand=brand)
    match_incidents(ctx)
    assert ctx.incident is None


def test_automatic_mail_is_not_linked(make_ctx, brand):
    Incident.objects.create(brand=brand, title="x", keywords=["rechnung"], starts_at=timezone.now())
    ctx = make_ctx(ParsedMessage(text="Rechnung"), automatic="bounce")
    ctx.case = Case(brand=brand)
    match_incidents(ctx)
    assert ctx.incident is None
