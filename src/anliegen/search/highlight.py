"""Safe snippet HTML: escape the stored text first, and only then turn the engine's markers into <mark> tags."""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

# Private-use characters: the database wraps matches in these; they never reach the page as such.
START, STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{START}{STOP}]")


def to_html(marked: str) -> SafeString:
    """Escape everything, then emit balanced <mark>…</mark> for the marker pairs (stray markers are dropped)."""
    out: list[str] = []
    open_ = False
    pos = 0
    for match in _MARKERS.finditer(marked):
        out.append(html.escape(marked[pos : match.start()]))
        pos = match.end()
        if match.group() == START and not open_:
            out.append("<mark>")
            open_ = True
        elif match.group() == STOP and open_:
            out.append("</mark>")
            open_ = False
    out.append(html.escape(marked[pos:]))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above went through html.escape


def mark_substring(text: str, needle: str) -> SafeString:
    """Highlight case-insensitive occurrences of needle (contact names, addresses) safely."""
    text = _MARKERS.sub("", text)
    if not needle:
        return to_html(text)
    marked = re.sub(re.escape(needle), lambda m: f"{START}{m.group()}{STOP}", text, flags=re.IGNORECASE)
    return to_html(marked)


def plain(text: str, length: int = 160) -> SafeString:
    text = _MARKERS.sub("", " ".join(text.split()))
    return to_html(text if len(text) <= length else text[: length - 1] + "…")
