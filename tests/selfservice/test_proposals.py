"""Detection on real cases: a burst from one area becomes a proposal with evidence; accepting opens the incident."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anliegen.core.models import Case, Contact
from anliegen.selfservice.models import IncidentProposal
from anliegen.selfservice.services import proposals
from tests.desk.conftest import client_for


def make_cases(brand, owner, texts, at):
    contact = Contact.objects.create(brand=brand, name="x")
    made = [Case.objects.create(brand=brand, contact=contact, owner=owner, subject=t, preferred_channel="email")
            for t in texts]  # fmt: skip
    Case.objects.filter(pk__in=[c.pk for c in made]).update(created_at=at)
    return made


def test_a_burst_is_proposed_once_and_accepting_links_its_cases(brand, agents):
    now = timezone.now()
    for week in range(1, 5):  # the normal rate: two everyday cases in this hour each week
        make_cases(
            brand,
            agents["anna"],
            ["Frage zur Rechnung 20095", "Umzug melden 22111"],
            now - timedelta(weeks=week, minutes=30),
        )
    burst = make_cases(
        brand, agents["anna"], [f"Kein Signal am Fernseher, 2252{n}" for n in range(8)], now - timedelta(minutes=20)
    )
    (proposal,) = proposals.detect(brand, now)
    assert proposal.area == "225" and "signal" in proposal.words and proposal.observed == 8
    assert set(proposal.case_ids) == {c.pk for c in burst}
    assert len(proposals.detect(brand, now)) == 1 and IncidentProposal.objects.count() == 1  # updated, not repeated
    page = client_for("claire").get("/desk/incidents/").content.decode()
    assert "8" in page and "225" in page
    assert (
        client_for("ben").post(f"/desk/incidents/proposals/{proposal.pk}/", {"decision": "accept"}).status_code == 404
    )
    response = client_for("claire").post(f"/desk/incidents/proposals/{proposal.pk}/",
                                         {"decision": "accept", "title": "TV-Störung 225", "text": "Wir arbeiten daran."})  # fmt: skip
    assert response.status_code == 302
    assert {c.incident.title for c in Case.objects.filter(pk__in=proposal.case_ids)} == {"TV-Störung 225"}


def test_normal_traffic_proposes_nothing(brand, agents):
    now = timezone.now()
    for week in range(1, 5):
        make_cases(
            brand,
            agents["anna"],
            [f"Frage zur Rechnung {n}" for n in range(6)],
            now - timedelta(weeks=week, minutes=30),
        )
    make_cases(brand, agents["anna"], [f"Frage zur Rechnung {n}" for n in range(7)], now - timedelta(minutes=30))
    assert proposals.detect(brand, now) == []
