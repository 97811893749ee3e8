"""Decode mail bytes whatever they claim to be: aliases Python lacks, lying labels, no label at all."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


# The 8-bit codecs of each language's mail (Windows code pages first: what mail clients write).
_CODECS = {
    "de": ("cp1252",), "en": ("cp1252",), "fr": ("cp1252",), "es": ("cp1252",), "it": ("cp1252",),
    "nl": ("cp1252",), "pt": ("cp1252",), "da": ("cp1252",), "sv": ("cp1252",), "no": ("cp1252",),
    "fi": ("cp1252",), "pl": ("cp1250",), "cs": ("cp1250",), "hu": ("cp1250",), "hr": ("cp1250",),
    "ru": ("cp1251", "koi8_r"), "uk": ("cp1251", "koi8_u"), "bg": ("cp1251",), "tr": ("cp1254",),
    "el": ("cp1253",), "zh": ("gb18030",), "ja": ("cp932",), "ko": ("cp949",),
}  # fmt: skip
DEFAULT_LANGUAGES = ("de", "en")
# Below this share of odd character sequences (charset-normalizer's mess ratio) a reading is plausible text.
_PLAUSIBLE = 0.1
_languages: ContextVar[tuple[str, ...]] = ContextVar("mail_languages", default=DEFAULT_LANGUAGES)


@contextmanager
def preferring(languages: list[str] | tuple[str, ...]) -> Iterator[None]:
    """Guess undeclared 8-bit text in these languages' charsets first (the brand's languages)."""
    token = _languages.set(tuple(languages) or DEFAULT_LANGUAGES)
    try:
        yield
    finally:
        _languages.reset(token)


def decode_bytes(data: bytes, declared: str = "") -> str:
    """Text from bytes: the declared charset if the bytes fit it, then UTF-8, then a guess; never raises."""
    codec = codec_for(declared)
    if data.isascii():
        return data.decode("ascii")
    if codec in (None, "cp1252", "latin-1", "iso8859-15", "utf-8"):
        # Valid UTF-8 is UTF-8 whatever the label says: a Latin-1 label is often written without looking.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec == "utf-8" and _mostly_utf8(data):
        return data.decode("utf-8", "replace")  # one bad byte must not turn the whole part into mojibake
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            # A label the bytes do not quite fit: damaged text, keep its reading.
            return data.decode(codec, "replace")
    return data.decode(guess(data), "replace")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a stray bad byte: real multi-byte characters read well, and few bytes do not."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return good > 0 and bad <= max(2, len(text) // 100)


def guess(data: bytes) -> str:
    """The codec of undeclared 8-bit text: the brand's languages' charsets when they read as plausible text,
    otherwise what charset-normalizer finds (CJK, Cyrillic...), otherwise Windows-1252."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    preferred = list(dict.fromkeys(c for lang in _languages.get() for c in _CODECS.get(lang[:2], ())))
    for codec in preferred:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if mess_ratio(text, _PLAUSIBLE) < _PLAUSIBLE:
            return codec
    if sum(1 for b in data if b >= 0x80) < 40:
        return _short_8bit(data)  # too little for statistics over the whole byte range
    best = from_bytes(data[:20000]).best()
    if best is not None:
        return codecs.lookup(best.encoding).name
    return preferred[0] if preferred else "cp1252"


def _short_8bit(data: bytes) -> str:
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
