"""Personal data in a text: IBANs (their check digits), phone numbers, e-mail addresses, customer and contract
numbers, postal addresses; German and English ways of writing them.

For public posts: what is found is flagged in the desk and masked wherever the post is shown or quoted, and a
public reply must contain none of it. Found spans never overlap; the first kind that claims a span keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban

IBAN, PHONE, EMAIL, CUSTOMER_NUMBER, ADDRESS = "iban", "phone", "email", "customer_number", "address"
PLACEHOLDER = {
    IBAN: "[IBAN]",
    PHONE: "[Telefon/phone]",
    EMAIL: "[E-Mail]",
    CUSTOMER_NUMBER: "[Nr./no.]",
    ADDRESS: "[Adresse/address]",
}

LABELS = {
    IBAN: _("IBAN"),
    PHONE: _("phone number"),
    EMAIL: _("e-mail address"),
    CUSTOMER_NUMBER: _("customer or contract number"),
    ADDRESS: _("postal address"),
}

# Two letters, two check digits, then 11 to 30 letters and digits, in groups of four or not.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)
# The number after a word that names it as the customer's: "Kundennummer 4471123", "Kd.-Nr.: KW-4471123",
# "my account no. 5531-22", "Vertrags-Nr. V/2021/889".
_NUMBER_WORDS = (
    r"kunden[- ]?(?:nummer|nr\.?)|kd\.?[- ]?nr\.?|vertrags[- ]?(?:nummer|nr\.?)|auftrags[- ]?(?:nummer|nr\.?)"
    r"|rechnungs[- ]?(?:nummer|nr\.?)|zähler[- ]?(?:nummer|nr\.?)|mandatsreferenz|geburtsdatum"
    r"|customer (?:number|no\.?|id|ref(?:erence)?)|account (?:number|no\.?)|contract (?:number|no\.?)"
    r"|invoice (?:number|no\.?)|meter (?:number|no\.?)|order (?:number|no\.?)|date of birth"
)
_CUSTOMER_NUMBER = re.compile(
    rf"(?:{_NUMBER_WORDS})(?:\s*(?:is|lautet|ist|:|#))?\s*((?=[\w./-]*\d)[A-Z0-9][\w./-]{{2,}}[A-Z0-9])", re.I
)
# A brand's own customer numbers written alone ("KW-4471123"): letters, a dash, six digits or more.
_PREFIXED_NUMBER = re.compile(r"\b[A-Z]{2,3}-\d{6,}\b")
_STREET_DE = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß.-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|stieg|kamp)"
    r"\s+\d{1,4}[a-z]?\b(?:,?\s+\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?",
)
_STREET_DE_SPACED = re.compile(
    r"\b(?:Am|An der|Im|In der|Auf dem)\s+[A-ZÄÖÜ][\wäöüß-]+\s+\d{1,4}[a-z]?\b(?:,?\s+\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?"
)
_STREET_EN = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Crescent"
    r"|Terrace|Place|Gardens|Court|Grove)\b\.?(?:,?\s+[A-Z][a-z]+)?(?:,?\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})?"
)
_POSTCODE_UK = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int
    text: str


def find(text: str, region: str = "DE") -> list[Found]:
    """Every piece of personal data in `text`, in order, none overlapping."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def claim(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Found(kind, start, end, text[start:end]))

    for m in _EMAIL.finditer(text):
        claim(EMAIL, m.start(), m.end())
    for m in _IBAN.finditer(text):
        if (end := _iban_end(m.group())) is not None:
            claim(IBAN, m.start(), m.start() + end)
    for m in _CUSTOMER_NUMBER.finditer(text):
        claim(CUSTOMER_NUMBER, m.start(1), m.end(1))
    for m in _PREFIXED_NUMBER.finditer(text):
        claim(CUSTOMER_NUMBER, m.start(), m.end())
    for pattern in (_STREET_DE, _STREET_DE_SPACED, _STREET_EN, _POSTCODE_UK):
        for m in pattern.finditer(text):
            claim(ADDRESS, m.start(), m.end())
    for start, end in _phones(text, region):
        claim(PHONE, start, end)
    return sorted(found, key=lambda f: f.start)


def _iban_end(candidate: str) -> int | None:
    """Where the longest valid IBAN at the start of `candidate` ends (a word after it may have been taken in)."""
    for end in range(len(candidate), 14, -1):
        if candidate[end - 1] != " " and stdnum_iban.is_valid(candidate[:end]):
            return end
    return None


def _phones(text: str, region: str) -> list[tuple[int, int]]:
    spans = []
    for where in dict.fromkeys([region or "DE", "DE", "GB"]):
        for match in phonenumbers.PhoneNumberMatcher(text, where, leniency=phonenumbers.Leniency.VALID):
            # People write a number with its trunk or country prefix; a bare run of digits is an order or a date.
            if match.raw_string.lstrip("(").startswith(("+", "0")):
                spans.append((match.start, match.end))
    return spans


def kinds(text: str, region: str = "DE") -> list[str]:
    return list(dict.fromkeys(f.kind for f in find(text, region)))


def has_any(text: str, region: str = "DE") -> bool:
    return bool(find(text, region))


def mask(text: str, region: str = "DE") -> tuple[str, list[str]]:
    """The text with every piece of personal data replaced by a placeholder, and the kinds found."""
    found = find(text, region)
    out, at = [], 0
    for f in found:
        out.append(text[at : f.start])
        out.append(PLACEHOLDER[f.kind])
        at = f.end
    out.append(text[at:])
    return "".join(out), list(dict.fromkeys(f.kind for f in found))
