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
