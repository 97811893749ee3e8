"""Addresses as mail clients really write them, repaired into one we can match and answer, never an exception."""

from __future__ import annotations

import re
from email.utils import getaddresses

from .charsets import decode_bytes

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
# A domain as written: letters of any script (RFC 6532), digits and hyphens, dot-separated; or a literal.
_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.?)+|\[[0-9A-Fa-f.:]+\]")
_LOCAL_UTF8 = re.compile(r"[^\s\"(),:;<>@\[\\\]]+")
_TOKEN_WITH_AT = re.compile(r"<?([^\s<>]*@[^\s<>]*)>?")
_SURROGATE = re.compile("[\udc80-\udcff]")


def unsurrogate(value: str, fallback_charset: str = "") -> str:
    """Raw 8-bit header bytes (kept as surrogates by the email package) as text: UTF-8 (RFC 6532) or a guess."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8, whatever the body's label says: that label as the fallback would give only U+FFFD.
        if fallback_charset.lower().replace("-", "").replace("_", "") == "utf8":
            fallback_charset = ""
        return decode_bytes(data, fallback_charset)


def clean(address: str) -> str:
    """One addr-spec, lowercased and repaired (brackets, trailing dot, needless quotes), or '' if none."""
    address = address.strip().strip("<>").strip().rstrip(".>,;").strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return ""
    domain = domain.strip(".").lower()
    if not _DOMAIN.fullmatch(domain):
        return ""
    if local.startswith('"') and local.endswith('"') and len(local) > 1:
        inner = local[1:-1]
        # "jana"@example.org is jana@example.org; "System Administrator"@… keeps its quotes (RFC 5322 3.4.1).
        local = inner if _DOT_ATOM.fullmatch(inner) else f'"{inner}"'
    elif not (_DOT_ATOM.fullmatch(local) or _LOCAL_UTF8.fullmatch(local)):
        return ""
    return f"{local}@{domain}".lower()


def pairs(value: str, fallback_charset: str = "") -> list[tuple[str, str]]:
    """(display name, address) pairs in a header value; what is no address is dropped, not raised."""
    value = unsurrogate(value, fallback_charset)
    try:
        found = getaddresses([value])
    except Exception:  # noqa: BLE001 - a header the parser cannot read: look for the tokens with an @
        found = [("", m.group(1)) for m in _TOKEN_WITH_AT.finditer(value)]
    out: list[tuple[str, str]] = []
    for display, address in found:
        repaired = clean(address)
        if not repaired and address and " " in address.strip() and '"' not in address:
            # `Jana Krüger jana@example.org`: no angle brackets; the token with the @ is the address.
            words = address.split()
            hits = [w for w in words if "@" in w]
            if len(hits) == 1:
                repaired = clean(hits[0])
                display = display or " ".join(w for w in words if w is not hits[0])
        if repaired:
            out.append((display.strip(), repaired))
    if not out and "@" in value:
        # Nothing the parser understood: a last look at the tokens that carry an @.
        out = [("", a) for m in _TOKEN_WITH_AT.finditer(value) if (a := clean(m.group(1)))]
    return out


def local_part(address: str) -> str:
    return address.rpartition("@")[0].strip('"')
