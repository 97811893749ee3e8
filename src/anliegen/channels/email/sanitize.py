"""Make customer HTML safe to show: nh3 removes scripts, handlers and javascript: URLs; remote images wait."""

from __future__ import annotations

import html as html_lib
import re

import nh3

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "*": {"dir", "lang"},
}
# nh3 writes attributes lower-case in double quotes, so its output can be read with a pattern.
_IMG_SRC = re.compile(r'(<img\b[^>]*?)\ssrc="(?!cid:)([^"]*)"', re.IGNORECASE)


def clean_html(raw: str) -> str:
    """Sanitised HTML; images other than the mail's own (cid:) keep their address in data-remote-src.

    The desk shows them only on the agent's click, so opening a mail never tells a tracker it was read.
    """
    if not raw:
        return ""
    safe = nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto", "cid", "tel"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _IMG_SRC.sub(r'\1 data-remote-src="\2"', safe)


_BLOCK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d|/blockquote|p|div|tr|li)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SKIP = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def html_to_text(raw: str) -> str:
    """A readable plain-text rendering of an HTML-only mail."""
    text = _SKIP.sub("", raw or "")
    text = _BLOCK.sub("\n", text)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
