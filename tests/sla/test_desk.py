"""The clock on the case page and in the lists."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from anliegen.core.models import Case
from anliegen.sla import alarms
from anliegen.sla.models import Target


def test_clock_on_the_case_page_and_in_the_lists(brand, agents, anna_client, mail_case):
    brand.service_hours = {}  # around the clock: the test does not depend on the hour it runs
    brand.save()
    Target.objects.create(brand=brand, channel="email", confirm_minutes=5, answer_minutes=60, resolve_minutes=600)
    late = mail_case(brand, "Rechnung doppelt", owner=agents["anna"])
    Case.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(minutes=70))
    fresh = mail_case(brand, "Umzug", owner=agents["anna"])
    alarms.sweep()
    page = anna_client.get(reverse("desk:case", args=[fresh.pk])).content.decode()
    assert 'data-sla-stage="answer"' in page and "sla-running" in page and "sla-met" in page  # confirmed in time
    page = anna_client.get(reverse("desk:case", args=[late.pk])).content.decode()
    assert "sla-breached" in page and "-10 min" in page
    rows = anna_client.get(reverse("desk:inbox")).content.decode()
    late_row = rows.split(f'data-case-row="{late.pk}"')[1].split("</tr>")[0]
    fresh_row = rows.split(f'data-case-row="{fresh.pk}"')[1].split("</tr>")[0]
    assert "sla-breached" in late_row and "sla-running" in fresh_row


def test_a_case_without_targets_shows_no_clock(brand, agents, anna_client, mail_case):
    case = mail_case(brand, "Zähler", owner=agents["anna"])
    page = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "data-sla-stage" not in page


def test_the_case_page_shows_the_clock_as_of_now_without_writing(brand, agents, anna_client, mail_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anliegen.sla.models import Clock

    brand.service_hours = {}
    brand.save()
    Target.objects.create(brand=brand, channel="email", confirm_minutes=5, answer_minutes=60, resolve_minutes=600)
    swept = mail_case(brand, "Rechnung doppelt", owner=agents["anna"])
    other = mail_case(brand, "Umzug", owner=agents["anna"])
    alarms.sweep()
    Clock.objects.filter(case=other).update(running=False)  # reopened since the last sweep: the sweep restarts it
    fresh = mail_case(brand, "Zählerstand", owner=agents["anna"])  # the sweep has not come by yet
    for case in (swept, fresh):
        with CaptureQueriesContext(connection) as queries:
            page = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
        assert 'data-sla-stage="answer"' in page
        writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
        assert [w for w in writes if "sla_clock" in w] == []
    assert not Clock.objects.filter(case=fresh).exists()  # shown, not stored: the sweep stores it
    assert not Clock.objects.get(case=other).running  # a page view touches no other case's clock
