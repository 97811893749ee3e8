"""What a message asks for, in the terms of authority: words and amounts mapped to a case's needs."""

from __future__ import annotations

import re

# Each intent: the words that say it (German and English, lower case, matched as word starts) and its need.
INTENTS: dict[str, tuple[tuple[str, ...], dict]] = {
    "credit": (
        ("gutschrift", "erstattung", "erstatten", "rückerstattung", "entschädigung", "credit", "refund", "reimburse"),
        {"credit_max_cents": 1},
    ),
    "replace_device": (
        (
            "gerät tauschen",
            "gerät austauschen",
            "austauschgerät",
            "ersatzgerät",
            "neues gerät",
            "replace device",
            "replace the device",
            "replacement device",
            "new device",
        ),
        {"may_replace_device": True},
    ),
    "cancel_contract": (
        ("kündigen", "kündigung", "vertrag beenden", "cancel my contract", "cancel the contract", "terminate"),
        {"may_cancel_contract": True},
    ),
}
# "80 Euro", "80,50 €", "EUR 80", "€80" near a credit word sets how much authority the decision needs.
_AMOUNT = re.compile(
    r"(?:(?:eur|euro|€)\s*(\d{1,6})(?:[.,](\d{2}))?)|(?:(\d{1,6})(?:[.,](\d{2}))?\s*(?:eur\b|euro\b|€))", re.IGNORECASE
)


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    # One alternation per intent, each word matched at a word start: one search per intent and message.
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")")


_PATTERNS = {name: _pattern(words) for name, (words, _need) in INTENTS.items()}


def largest_amount_cents(text: str) -> int:
    best = 0
    for a, a_cents, b, b_cents in _AMOUNT.findall(text):
        cents = int(a or b) * 100 + int(a_cents or b_cents or 0)
        best = max(best, cents)
    return best


def classify(text: str) -> list[str]:
    """The intents a message expresses, in the order of INTENTS."""
    lowered = (text or "").lower()
    return [name for name, pattern in _PATTERNS.items() if pattern.search(lowered)]


def needs_for(text: str) -> dict:
    """The needs of a message: the union of its intents' needs; a credit takes the largest amount named."""
    needs: dict = {}
    for name in classify(text):
        needs.update(INTENTS[name][1])
        if name == "credit" and (cents := largest_amount_cents(text)):
            needs["credit_max_cents"] = cents
    return needs
