"""Small, dependable text heuristics: language (German/English), urgency, personal data."""

import re

_WORDS = re.compile(r"[a-zäöüß]+", re.IGNORECASE)
_DE = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "ich",
        "sie",
        "mit",
        "ein",
        "eine",
        "einen",
        "auf",
        "für",
        "ihr",
        "ihre",
        "mein",
        "meine",
        "bitte",
        "danke",
        "guten",
        "tag",
        "hallo",
        "seit",
        "noch",
        "schon",
        "wir",
        "haben",
        "habe",
        "wurde",
        "wird",
        "kein",
        "keine",
        "leider",
        "vielen",
        "dank",
        "grüßen",
        "gruß",
        "freundlichen",
        "sehr",
        "geehrte",
        "geehrter",
        "damen",
        "herren",
        "rechnung",
        "vertrag",
        "anschluss",
    ]
)
_EN = frozenset(
    [
        "the",
        "and",
        "is",
        "not",
        "you",
        "with",
        "a",
        "an",
        "on",
        "for",
        "your",
        "my",
        "please",
        "thanks",
        "thank",
        "hello",
        "hi",
        "since",
        "still",
        "already",
        "we",
        "have",
        "has",
        "was",
        "will",
        "no",
        "unfortunately",
        "regards",
        "dear",
        "sir",
        "madam",
        "best",
        "invoice",
        "contract",
        "since",
        "i'm",
        "it",
        "this",
        "that",
    ]
)
_URGENT = re.compile(
    r"\b(dringend|sofort|notfall|urgent|asap|immediately|emergency|kein (strom|internet|signal)|ausfall)\b",
    re.IGNORECASE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d /-]{7,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_CONTRACT = re.compile(r"\b(kundennummer|vertragsnummer|customer number|contract number|geburtsdatum)\b", re.I)


def detect(text: str, default: str = "de") -> str:
    words = [w.lower() for w in _WORDS.findall(text[:4000])]
    de = sum(w in _DE for w in words) + 2 * sum(ch in "äöüß" for ch in text[:4000].lower())
    en = sum(w in _EN for w in words)
    if de == en:
        return default
    return "de" if de > en else "en"


def is_urgent(text: str) -> bool:
    return bool(_URGENT.search(text))


def has_personal_data(text: str) -> bool:
    return any(p.search(text) for p in (_IBAN, _PHONE, _EMAIL, _CONTRACT))


# Written with or without spaces, any length a country uses (DE: 22 characters, so not only groups of four).
_IBAN_ANY = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_CONTRACT_NUMBER = re.compile(
    r"\b(kundennummer|vertragsnummer|customer number|contract number|geburtsdatum)(\W{0,3})([\w./-]*\d[\w./-]*)", re.I
)


def mask_personal_data(text: str) -> tuple[str, list[str]]:
    """The text with IBANs, phone numbers, e-mail addresses and contract numbers masked, and which kinds were found.

    For public posts: what is masked here is never shown, the kinds tell a moderator why.
    """
    found: list[str] = []
    for kind, pattern, replacement in (
        ("iban", _IBAN_ANY, "[IBAN]"),
        ("email", _EMAIL, "[e-mail]"),
        ("phone", _PHONE, "[phone]"),
    ):
        text, n = pattern.subn(replacement, text)
        if n:
            found.append(kind)
    text, n = _CONTRACT_NUMBER.subn(lambda m: f"{m.group(1)}{m.group(2)}[…]", text)
    if n:
        found.append("contract")
    return text, found
