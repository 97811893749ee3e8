"""Split a mail's text into what the sender wrote now and what they quoted or signed (for display only)."""

from __future__ import annotations

import re

# Lines that introduce the quoted previous mail, as German and English clients write them.
_QUOTE_HEADERS = [
    re.compile(r"^\s*Am .{4,120}(schrieb|schrieben) .{0,200}:\s*$", re.I),
    re.compile(r"^\s*On .{4,160}wrote:\s*$", re.I),
    re.compile(r"^\s*Le .{4,160}a écrit\s*:\s*$", re.I),
    re.compile(
        r"^\s*-{2,}\s*(Ursprüngliche Nachricht|Original Message|Originalnachricht|Weitergeleitete Nachricht|"
        r"Forwarded message|Message d'origine)\s*-{2,}\s*$",
        re.I,
    ),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above the quoted header block
    re.compile(r"^\s*Begin forwarded message:\s*$", re.I),
    re.compile(r"^\s*Anfang der weitergeleiteten Nachricht:\s*$", re.I),
]
# "Am 3. Mai 2026 um 10:00 schrieb Anna <a@b>:" is often wrapped over two lines by the client.
_WRAPPED_HEAD = re.compile(r"^\s*(Am|On) .{4,200}$", re.I)
_WRAPPED_TAIL = re.compile(r"^.{0,200}(schrieb|wrote)\s*:\s*$", re.I)
# An Outlook header block: From/Von followed within a few lines by Sent/Gesendet/Date and To/An/Subject.
_FROM_LINE = re.compile(r"^\s*\*?(From|Von|De)\s*:\*?\s+\S", re.I)
_BLOCK_LINE = re.compile(r"^\s*\*?(Sent|Gesendet|Date|Datum|To|An|Cc|Subject|Betreff|Envoyé|À|Objet)\s*:", re.I)
_SIGNATURE = re.compile(r"^-- ?$")
_MOBILE = re.compile(r"^\s*(Sent from my|Von meinem|Gesendet von|Get Outlook for)\b.{0,60}$", re.I)


def visible_text(text: str) -> tuple[str, str]:
    """(what is new, what is quoted or signature); the two joined give back every line of the text.

    Pure and safe to call on anything: a text with no recognisable quote is returned whole, and a mail
    that is nothing but a quote keeps it visible rather than showing an empty message.
    """
    lines = (text or "").replace("\r\n", "\n").split("\n")
    cut = _first_quote_line(lines)
    if cut is None:
        return (text or "").strip("\n"), ""
    visible = "\n".join(lines[:cut]).rstrip()
    if not visible.strip():
        return (text or "").strip("\n"), ""
    return visible, "\n".join(lines[cut:]).strip("\n")


def _first_quote_line(lines: list[str]) -> int | None:
    for n, line in enumerate(lines):
        if any(p.match(line) for p in _QUOTE_HEADERS):
            return n
        if _WRAPPED_HEAD.match(line) and n + 1 < len(lines) and _WRAPPED_TAIL.match(lines[n + 1]):
            return n
        if _FROM_LINE.match(line) and sum(1 for nxt in lines[n + 1 : n + 6] if _BLOCK_LINE.match(nxt)) >= 2:
            return n
        if _SIGNATURE.match(line) or _MOBILE.match(line):
            return n
        if line.startswith(">") and _rest_is_quote(lines[n:]):
            return n
    return None


def _rest_is_quote(lines: list[str]) -> bool:
    """A ">" block counts as the quoted tail only when nothing but quotes and blank lines follow it.

    Interleaved answers ("> question" then the answer) stay visible as a whole.
    """
    return all(not line.strip() or line.lstrip().startswith(">") for line in lines)
