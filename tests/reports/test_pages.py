"""The reports page and its CSV: supervisors of the brand only, figures and inline SVG charts, no foreign data."""

import csv
import io

from django.urls import reverse

from anliegen.core.models import Case
from anliegen.sla import clocks


def test_supervisor_sees_figures_charts_and_exports_csv(brand, agents, claire_client, mail_case):
    mail_case(brand, "Abschlag", owner=agents["anna"])
    mail_case(brand, "Zähler", owner=agents["ben"])
    clocks.start_missing()
    page = claire_client.get(reverse("desk:reports"), {"by": "agent"})
    assert page.status_code == 200
    body = page.content.decode()
    assert '<tr data-figure="cases"><th>' in body and "<svg" in body and "<script" not in body.split("<main>")[1]
    assert 'data-group="Anna Schmidt"' in body and 'data-group="Ben Wagner"' in body
    export = claire_client.get(reverse("desk:reports_csv"), {"by": "channel"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert ["cases", "cases", "2"] in rows and ["channel_mix", "email", "2"] in rows
    assert ["by_channel:email", "cases", "2"] in rows


def test_agents_and_other_brands_get_nothing(brand, agents, other_brand, anna_client, claire_client, mail_case):
    foreign = mail_case(other_brand, "Fremd")
    clocks.start_missing()
    assert anna_client.get(reverse("desk:reports")).status_code == 404  # an agent, not a supervisor
    assert claire_client.get(reverse("desk:reports"), {"brand": other_brand.pk}).status_code == 400
    assert claire_client.get(reverse("desk:reports_csv"), {"agent": foreign.owner_id}).status_code == 400
    rows = claire_client.get(reverse("desk:reports_csv")).content.decode()
    assert "cases,cases,0" in rows
    assert Case.objects.count() == 1
