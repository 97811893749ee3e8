"""Phone numbers as PBXs send them (493055571600, 0171..., +49 40 ..., anonymous) read into E.164."""

from __future__ import annotations

import phonenumbers


def e164(raw: str, region: str = "DE") -> tuple[str, str]:
    """(E.164 number, "") or ("", why it is not one). A PBX often drops the "+" of an international number."""
    value = (raw or "").strip()
    if not value:
        return "", "no number (withheld)"
    if value.lower() in ("anonymous", "unknown", "restricted", "private", "unavailable"):
        return "", f"number withheld ({value})"
    candidates = [value]
    digits = value.replace(" ", "")
    if digits.isdigit() and not digits.startswith("0") and len(digits) > 9:
        candidates.insert(0, f"+{digits}")  # "493055571600": Zammad's documented form, country code without +
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        # Service numbers (110, 1234) are possible to dial but name no caller to call back.
        if phonenumbers.is_possible_number(number) and len(str(number.national_number)) >= 5:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""
    return "", f"not a phone number: {value[:40]!r}"
