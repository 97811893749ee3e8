"""Decode mail bytes whatever they claim to be: aliases Python lacks, lying labels, no label at all."""

from __future__ import annotations

import codecs

# Labels seen in real mail that Python's codec registry does not know (or knows too narrowly).
ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "windows-874": "cp874",
    "x-sjis": "shift_jis",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "cp1252",
    "iso-8859-1": "cp1252",  # mail labelled Latin-1 is nearly always Windows-1252 (curly quotes, €)
    "latin1": "cp1252",
    "us-ascii": "utf-8",  # a label mailers write without looking at the bytes
    "ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
}
UNKNOWN = {"", "unknown", "unknown-8bit", "x-unknown", "default", "none", "8bit", "charset"}


def codec_for(label: str) -> str | None:
    label = (label or "").strip().strip("\"'").lower()
    if label in UNKNOWN:
        return None
    label = ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str = "") -> str:
    """Text from bytes: the declared charset if the bytes fit it, then UTF-8, then a guess; never raises."""
    codec = codec_for(declared)
    for candidate in (codec, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
    if codec and codec != "utf-8":
        # A multi-byte or single-byte label the bytes do not quite fit: damaged text, keep its reading.
        return data.decode(codec, "replace")
    # No label, or UTF-8 that is not: an 8-bit charset, guessed.
    return data.decode(_guess_8bit(data), "replace")


def _guess_8bit(data: bytes) -> str:
    """Cyrillic (KOI8-R or Windows-1251) by letter case statistics, otherwise Windows-1252."""
    high = [b for b in data if b >= 0xC0]
    if len(high) < 4:
        return "cp1252"
    letters = sum(1 for b in data if b >= 0x80)
    if len(high) < 0.6 * letters:
        return "cp1252"
    # Text is mostly lower case: KOI8-R puts lower-case letters at 0xC0-0xDF, Windows-1251 at 0xE0-0xFF.
    upper_half = sum(1 for b in high if b >= 0xE0)
    words = data.split()
    # Latin text with accents has at most a few high bytes per word; Cyrillic words are made of them.
    dense = sum(1 for w in words if sum(1 for b in w if b >= 0xC0) >= max(2, len(w) // 2))
    if dense < max(1, len(words) // 4):
        return "cp1252"
    return "cp1251" if upper_half > len(high) / 2 else "koi8_r"
