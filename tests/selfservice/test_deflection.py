"""Suggestions while writing: matching incidents and articles, "solved, no need to send", the honest rate."""

from __future__ import annotations

from anliegen.selfservice.models import Deflection
from anliegen.selfservice.services.deflection import rates
from tests.portal.conftest import form_data

from .test_articles import publish

VISIT = "8f14e45f-ceea-467f-a0e6-3c5a5e6b9f11"


def test_suggestions_show_the_incident_and_articles_and_count_the_visit(client, brand, agents, outage):
    publish(brand, agents["claire"], "Kein Signal am Fernseher", "<p>Receiver neu starten.</p>")
    response = client.get(
        "/stadtwerk/help/suggest/", {"q": "Fernseher schwarz, kein Signal in 22529", "visit": VISIT, "lang": "de"}
    )
    html = response.content.decode()
    assert "Kein TV-Signal in Hamburg-Nord" in html and "Kein Signal am Fernseher" in html
    assert Deflection.objects.get(visit=VISIT).outcome == Deflection.Outcome.SHOWN


def test_short_or_unrelated_text_shows_nothing(client, brand, agents):
    assert client.get("/stadtwerk/help/suggest/", {"q": "Hallo"}).content == b""
    assert (
        client.get("/stadtwerk/help/suggest/", {"q": "Ich möchte umziehen nach Bayern", "visit": VISIT}).content.strip()
        == b""
    )
    assert not Deflection.objects.exists()


def test_solved_and_sent_are_recorded_and_the_rate_is_per_brand(client, brand, agents, other_brand):
    article = publish(brand, agents["claire"], "Rechnung verstehen", "<p>Grundgebühr und Gutschriften.</p>")
    for n in range(4):
        client.get("/stadtwerk/help/suggest/", {"q": "Frage zu meiner Rechnung bitte", "visit": f"visit-{n}"})
    assert client.post("/stadtwerk/help/solved/", {"visit": "visit-0", "article": article.pk}).status_code == 200
    assert client.post("/stadtwerk/help/solved/", {}).status_code == 400
    data = form_data(subject="Rechnung", text="Frage zu meiner Rechnung bitte")
    data["submission"] = "0b9e1c5a-2f3d-4c1e-9a7b-1d2e3f4a5b6c"
    client.get("/stadtwerk/help/suggest/", {"q": "Frage zu meiner Rechnung bitte", "visit": data["submission"]})
    assert client.post("/stadtwerk/contact/", data).status_code == 302
    (rate,) = rates([brand.pk, other_brand.pk])
    assert (rate.brand, rate.shown, rate.solved, rate.sent) == ("Stadtwerk Nord", 5, 1, 1)
    assert rate.rate == 0.2


def test_the_form_keeps_its_send_button_and_says_a_person_answers(client, brand, agents):
    page = client.get("/stadtwerk/contact/").content.decode()
    assert 'id="suggestions"' in page and 'type="submit"' in page
