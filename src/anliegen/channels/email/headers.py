"""Read mail headers defensively: raw values without the header registry, decoded only where needed."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message

from .addresses import pairs, unsurrogate
from .charsets import decode_bytes

_FOLD = re.compile(r"\r?\n[ \t]*")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?]*\?=")


class Headers:
    """The headers of one message part, first occurrence wins; never raises on malformed values.

    Python's header registry parses every value it is asked for and has crashed on real mail (an empty
    folded Message-ID); the raw values are enough for every decision and are decoded only for display.
    """

    def __init__(self, msg: Message, fallback_charset: str = "") -> None:
        self._all: dict[str, list[str]] = {}
        for name, value in msg.raw_items():
            # Raw 8-bit bytes (RFC 6532 UTF-8, or a legacy charset) become text here, never lone surrogates
            # that a database or a JSON encoder refuses.
            text = unsurrogate(_FOLD.sub(" ", str(value)).strip(), fallback_charset)
            self._all.setdefault(name.lower(), []).append(text)
        self.fallback_charset = fallback_charset

    def raw(self, name: str) -> str:
        values = self._all.get(name.lower())
        return values[0] if values else ""

    def all(self, name: str) -> list[str]:
        return list(self._all.get(name.lower(), []))

    def has(self, name: str) -> bool:
        return name.lower() in self._all

    def text(self, name: str) -> str:
        """A header as readable text: RFC 2047 words decoded, raw 8-bit bytes guessed, never an exception."""
        return decode_value(self.raw(name), self.fallback_charset)

    def addresses(self, *names: str) -> list[tuple[str, str]]:
        """(display name, lowercased address) pairs from the given headers, in order, without duplicates."""
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        for name in names:
            for value in self.all(name):
                for display, address in pairs(value, self.fallback_charset):
                    if address not in seen:
                        seen.add(address)
                        found.append((decode_value(display, self.fallback_charset), address))
        return found


def decode_value(value: str, fallback_charset: str = "") -> str:
    if not value:
        return ""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        # Raw 8-bit bytes in a header (Eudora, old Outlook): the email package keeps them as surrogates.
        data = value.encode("ascii", "surrogateescape")
        try:
            value = data.decode("utf-8")  # RFC 6532 mail writes UTF-8 headers raw
        except UnicodeDecodeError:
            value = decode_bytes(data, fallback_charset)
    if _ENCODED_WORD.search(value):
        try:
            value = str(make_header(decode_header(value)))
        except (LookupError, UnicodeError, ValueError, AssertionError):
            value = _decode_words_leniently(value)
    return re.sub(r"\s+", " ", value).strip()


def _decode_words_leniently(value: str) -> str:
    """Decode each encoded word on its own, guessing charsets Python does not know."""

    def one(match: re.Match[str]) -> str:
        try:
            [(data, charset)] = decode_header(match.group(0))
        except (ValueError, AssertionError, UnicodeError):
            return match.group(0)
        return data if isinstance(data, str) else decode_bytes(data, charset or "")

    # Whitespace between two encoded words is not part of the text (RFC 2047, section 6.2).
    return _ENCODED_WORD.sub(one, re.sub(r"(\?=)\s+(?==\?)", r"\1", value))
