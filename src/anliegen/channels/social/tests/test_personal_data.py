"""Personal data in public posts, German and English: what is found, what is masked, what is left alone."""

from __future__ import annotations

import pytest

from anliegen.core.services import personal_data

FOUND = [
    ("Meine IBAN DE89 3704 0044 0532 0130 00 habt ihr ja", "iban", "DE89 3704 0044 0532 0130 00"),
    ("IBAN: DE89370400440532013000.", "iban", "DE89370400440532013000"),
    ("my account GB82 WEST 1234 5698 7654 32 was charged twice", "iban", "GB82 WEST 1234 5698 7654 32"),
    ("Ruf mich an: 0170 1234567", "phone", "0170 1234567"),
    ("Rückruf bitte unter (040) 123 456 78", "phone", "(040) 123 456 78"),
    ("call me on +44 20 7946 0958 after six", "phone", "+44 20 7946 0958"),
    ("mail an anna.schulz@example.de bitte", "email", "anna.schulz@example.de"),
    ("Kundennummer 4471123, bitte prüfen", "customer_number", "4471123"),
    ("Vertrags-Nr.: V-2021-889 läuft noch", "customer_number", "V-2021-889"),
    ("my customer number is KW-4471123.", "customer_number", "KW-4471123"),
    ("account no. 5531-2207 is wrong", "customer_number", "5531-2207"),
    ("Ich wohne Hauptstraße 12, 22529 Hamburg", "address", "Hauptstraße 12, 22529 Hamburg"),
    ("Lieferung an Am Markt 3 klappt nie", "address", "Am Markt 3"),
    ("I live at 221B Baker Street, London NW1 6XE", "address", "221B Baker Street, London NW1 6XE"),
]
NOT_FOUND = [
    "Kein Signal in 22529 seit 19 Uhr",  # a postcode alone says where an outage is, not who
    "Am 12.05.2024 um 20:15 fiel alles aus",
    "DE89 3704 0044 0532 0130 01",  # a wrong check digit: no IBAN
    "Order 12345678 never arrived",
    "Seit 3 Tagen 40 Minuten in der Warteschleife, 2 mal angerufen",
    "Great service today, thanks @kabelwelle_hilft!",
]


@pytest.mark.parametrize(("text", "kind", "part"), FOUND)
def test_personal_data_is_found_and_masked(text, kind, part):
    [found] = personal_data.find(text)
    assert (found.kind, found.text) == (kind, part)
    masked, kinds = personal_data.mask(text)
    assert part not in masked and personal_data.PLACEHOLDER[kind] in masked and kinds == [kind]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ordinary_numbers_are_left_alone(text):
    assert personal_data.find(text) == [] and personal_data.mask(text) == (text, [])


def test_several_kinds_in_one_post_are_all_masked():
    text = "Anna Schulz, Hauptstraße 12, 22529 Hamburg, Tel. 0170 1234567, IBAN DE89 3704 0044 0532 0130 00"
    masked, kinds = personal_data.mask(text)
    assert kinds == ["address", "phone", "iban"]
    assert "1234567" not in masked and "3704" not in masked and "Hauptstraße" not in masked
