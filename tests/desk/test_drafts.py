"""Composer drafts: saved per agent and case, shown again in the composers, brand-scoped, gone once sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anliegen.desk.models import Draft

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(brand, agents, mail_case):
    return mail_case(brand, "Abschlag zu hoch", owner=agents["anna"])


def _save(client, case_id: int, kind: str, text: str):  # noqa: ANN202 - a test client response
    return client.post(reverse("desk:draft", args=[case_id]), {"kind": kind, "text": text})


def test_draft_is_saved_and_shown_again_only_to_its_agent(case, anna_client, agents):
    assert _save(anna_client, case.pk, "reply", "Liebe Frau Krüger, ").status_code == 204
    assert _save(anna_client, case.pk, "note", "Zähler prüfen").status_code == 204
    assert _save(anna_client, case.pk, "reply", "Liebe Frau Krüger, der Abschlag").status_code == 204
    assert Draft.objects.get(agent=agents["anna"], kind="reply").text == "Liebe Frau Krüger, der Abschlag"
    page = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "\nLiebe Frau Krüger, der Abschlag</textarea>" in page
    assert "\nZähler prüfen</textarea>" in page
    # Ben sees his own empty composers on the same case.
    other = client_for("ben").get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "der Abschlag" not in other and "Zähler prüfen" not in other


def test_empty_text_removes_the_draft(case, anna_client):
    _save(anna_client, case.pk, "reply", "etwas")
    assert _save(anna_client, case.pk, "reply", "  \n").status_code == 204
    assert not Draft.objects.exists()


def test_bad_input_is_refused(case, anna_client):
    assert _save(anna_client, case.pk, "mail", "x").status_code == 400
    assert _save(anna_client, case.pk, "reply", "x" * 50_001).status_code == 400
    assert anna_client.get(reverse("desk:draft", args=[case.pk])).status_code == 405
    assert not Draft.objects.exists()


def test_sending_the_reply_or_note_deletes_its_draft(case, anna_client, agents):
    _save(anna_client, case.pk, "reply", "Wir korrigieren den Abschlag.")
    _save(anna_client, case.pk, "note", "Zähler prüfen")
    channel = "email"
    response = anna_client.post(
        reverse("desk:reply", args=[case.pk]),
        {"text": "Wir korrigieren den Abschlag.", "channel": channel, "next_state": "waiting"},
    )
    assert response.status_code == 302
    assert list(Draft.objects.values_list("kind", flat=True)) == ["note"]
    assert anna_client.post(reverse("desk:note", args=[case.pk]), {"text": "Zähler prüfen"}).status_code == 302
    assert not Draft.objects.exists()


def test_a_refused_reply_keeps_the_draft(case, anna_client):
    _save(anna_client, case.pk, "reply", "Entwurf")
    response = anna_client.post(reverse("desk:reply", args=[case.pk]), {"text": "", "channel": "email"})
    assert response.status_code == 422
    assert Draft.objects.get().text == "Entwurf"


def test_another_brand_gets_404_and_saves_nothing(case, dora_client):
    assert _save(dora_client, case.pk, "reply", "fremd").status_code == 404
    assert _save(dora_client, 987654, "reply", "fremd").status_code == 404
    assert not Draft.objects.exists()
