"""Incident matching on a labelled set of contacts (German and English): precision and recall are measured."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from anliegen.core.models import Incident
from anliegen.core.services.incidents import best, postcodes

pytestmark = pytest.mark.nodb

TV = Incident(
    pk=1,
    title="Kein TV-Signal in Hamburg-Nord",
    title_en="No TV signal in Hamburg North",
    description="Seit 20 Uhr fällt in Teilen von Hamburg-Nord das Kabelfernsehen aus. Ein Techniker ist am Verteiler.",
    description_en="Since 8 pm cable TV is down in parts of Hamburg North. A technician is at the street cabinet.",
    product="Kabel-TV",
    regions=["224", "225", "Hamburg-Nord"],
    keywords=["kein signal", "no signal", "fernseher schwarz", "bildschirm schwarz", "tv is black"],
    starts_at=timezone.now() - timedelta(hours=1),
)
NET = Incident(
    pk=2,
    title="Internetstörung in München-Schwabing",
    title_en="Internet outage in Munich Schwabing",
    description="Der Internetzugang über Kabel ist langsam oder fällt aus. Router zeigen eine rote Online-Lampe.",
    description_en="Cable internet is slow or down. Routers show a red online light.",
    product="Internet",
    regions=["807", "808"],
    keywords=["kein internet", "no internet", "internet geht nicht", "router blinkt rot"],
    starts_at=timezone.now() - timedelta(hours=2),
)

# (text, expected incident pk or None). Hard cases on purpose: the right words from the wrong area,
# the area without the words, billing questions that mention the product.
LABELLED = [
    ("Mein Fernseher ist schwarz, kein Signal auf allen Sendern. 22529 Hamburg", 1),
    ("Kein Signal seit acht Uhr, gleich beginnt das Finale!", 1),
    ("TV is black since 8 pm, postcode 22455", 1),
    ("No signal on any channel here in Hamburg-Nord", 1),
    ("Bildschirm schwarz, Receiver sagt kein Empfang. PLZ 22417", 1),
    ("Das Kabelfernsehen fällt aus, wohne in 22459", 1),
    ("Cable TV is down in our street, 22297 Hamburg", None),
    ("Seit 20 Uhr kein Kabelfernsehen mehr, Techniker unterwegs?", 1),
    ("Fernseher schwarz! Finale verpasst! 22527", 1),
    ("Our cable TV went down at 8 pm, is a technician coming?", 1),
    ("Kein TV-Signal in Hamburg-Nord bei mir", 1),
    ("Kein Internet seit heute Mittag, Router blinkt rot. 80799 München", 2),
    ("No internet since noon, postcode 80801", 2),
    ("Internet geht nicht, die Online-Lampe am Router ist rot", 2),
    ("Der Internetzugang ist extrem langsam und fällt ständig aus, 80802", 2),
    ("My router shows a red online light and the cable internet is down", 2),
    ("kein internet in 80796", 2),
    ("Router blinkt rot seit dem Gewitter", 2),
    ("Internet outage in Schwabing? Everything is slow", 2),
    ("Fernseher schwarz, kein Signal, ich wohne in 50667 Köln", None),
    ("No signal on my TV, I live in 10115 Berlin", None),
    ("Kein Internet hier in 20095", None),
    ("Meine Rechnung für Kabel-TV ist zu hoch, bitte prüfen", None),
    ("Ich möchte meinen Vertrag kündigen zum Monatsende", None),
    ("Please change my bank account for the direct debit", None),
    ("Wann kommt der Techniker für meinen Hausanschluss? Termin war gestern", None),
    ("Ich ziehe um nach 22529, kann ich meinen Vertrag mitnehmen?", None),
    ("Thank you for the quick help yesterday!", None),
    ("Wie ändere ich das WLAN-Passwort?", None),
    ("Die Gutschrift von 20 Euro fehlt auf meiner Rechnung", None),
    ("Can I get a second receiver for the bedroom?", None),
    ("Ihre Hotline ist eine Zumutung, 40 Minuten Warteschleife", None),
    ("Mein Handyvertrag: Roaming in Spanien funktioniert nicht", None),
    ("I want to upgrade to the 1000 Mbit tariff", None),
    ("Adresse geändert: neue Straße 12, 80331 München", None),
]


def test_postcodes_are_read_from_text_not_from_prices_or_dates():
    assert postcodes("PLZ 22529, Rechnung 12.345,00, Kunde 123456, Datum 01.02.2026") == ["22529"]


def test_a_postcode_outside_the_area_rules_the_incident_out_even_with_its_words():
    assert best([TV], "kein signal, 50667 Köln") is None
    assert best([TV], "kein signal", postcode="50667") is None
    assert best([TV], "kein signal", postcode="22529").incident is TV


def test_matching_precision_and_recall_on_the_labelled_set(capsys):
    tp = fp = fn = 0
    wrong = []
    for text, expected in LABELLED:
        found = best([TV, NET], text)
        got = found.incident.pk if found else None
        if got is not None and got == expected:
            tp += 1
        else:
            if got is not None:
                fp += 1
            if expected is not None:
                fn += 1
            if got != expected:
                wrong.append((text, expected, got, found.why if found else []))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nincident matching on {len(LABELLED)} labelled contacts: precision {precision:.2f}, recall {recall:.2f}"
        )
    assert precision >= 0.95, wrong
    assert recall >= 0.85, wrong
