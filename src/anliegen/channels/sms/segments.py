"""How many SMS a text takes: 160 GSM-7 characters in one, 153 per part when concatenated; 70/67 in UCS-2.

The provider splits and the phone joins the parts (a concatenation header in each); the count is what the
customer's phone receives and what the brand pays for, so the desk shows it on the message.
"""

from __future__ import annotations

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # two septets each (escape + character)


def encoding(text: str) -> str:
    return "GSM-7" if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text) else "UCS-2"


def units(text: str) -> int:
    """The length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2."""
    if encoding(text) == "GSM-7":
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def count(text: str) -> int:
    single, part = (160, 153) if encoding(text) == "GSM-7" else (70, 67)
    size = units(text)
    return 1 if size <= single else -(-size // part)
