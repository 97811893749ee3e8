"""`anliegen intake status|reprocess`: the quarantine is visible and can be emptied once the cause is fixed."""

from __future__ import annotations

import io
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command

from anliegen.core.models import Case
from anliegen.core.setup import create_agent, create_brand
from anliegen.intake.accept import accept
from anliegen.intake.models import Inbound, InboundState


def _mail_to(address: str, msgid: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Jana Krüger <jana@example.org>"
    msg["To"] = address
    msg["Subject"] = "Rechnung doppelt abgebucht"
    msg["Message-ID"] = f"<{msgid}>"
    msg.set_content("Guten Tag, die Rechnung wurde zweimal abgebucht. Bitte prüfen Sie das.")
    return msg.as_bytes()


def _quarantined(n: int = 2) -> list[int]:
    ids = []
    for i in range(n):
        raw = _mail_to("service@neu.example", f"q{i}@example.org")
        ids.append(accept("email", f"q{i}@example.org", raw, {"rcpt_tos": ["service@neu.example"]}).inbound_id)
    assert set(Inbound.objects.filter(pk__in=ids).values_list("state", flat=True)) == {InboundState.QUARANTINED}
    return ids


def test_status_counts_states_and_names_reasons(db):
    _quarantined()
    out = io.StringIO()
    call_command("intake", "status", stdout=out)
    text = out.getvalue()
    assert "quarantined  2" in text
    assert "done         0" in text
    assert "parse: no brand receives mail for service@neu.example" in text


def test_reprocess_all_quarantined_after_the_cause_is_fixed(db):
    ids = _quarantined()
    brand = create_brand("neu", "Neu GmbH", "neu.example")
    create_agent(brand, "nora", "Nora Lang", "x-pass-123", languages=["de"])
    out = io.StringIO()
    call_command("intake", "reprocess", "--all-quarantined", "--now", stdout=out)
    assert "2 Inbound(s) back in the queue" in out.getvalue()
    assert set(Inbound.objects.filter(pk__in=ids).values_list("state", flat=True)) == {InboundState.DONE}
    assert Case.objects.filter(brand=brand).count() == 1  # same sender, same topic: one case


def test_reprocess_by_id_leaves_it_to_the_worker(db):
    ids = _quarantined(1)
    call_command("intake", "reprocess", str(ids[0]), stdout=io.StringIO())
    assert Inbound.objects.get(pk=ids[0]).state == InboundState.RECEIVED


def test_reprocess_needs_ids_or_all_and_rejects_unknown_ids(db):
    with pytest.raises(CommandError, match="one of the two"):
        call_command("intake", "reprocess", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no Inbound with id 999"):
        call_command("intake", "reprocess", "999", stdout=io.StringIO())
