"""Repair a header block before parsing, as the big MTAs read it: a broken line is skipped, not the end.

The email package ends the headers at the first line that is no header, so one malformed line loses every
header after it (Subject, From). The obsolete syntax `Subject  : …` (RFC 5322 section 4.5, white space before
the colon) is read as a header, and `From  :` is not taken for an mbox `From ` line.
"""

from __future__ import annotations

import re

_HEADER = re.compile(rb"^[!-9;-~]+:")
_OBSOLETE = re.compile(rb"^([!-9;-~]+)[ \t]+:")
_UNIX_FROM = re.compile(rb"^From [^\s:]")


def _end_of_headers(raw: bytes) -> int:
    ends = [i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i != -1]
    return min(ends) if ends else len(raw)


def repair_header_block(raw: bytes) -> bytes:
    """The message with obsolete header names closed up and stray lines among the headers left out."""
    end = _end_of_headers(raw)
    head = raw[:end]
    lines = head.split(b"\n")
    if all(_HEADER.match(line) or line[:1] in (b" ", b"\t") for line in lines[1:]) and not _OBSOLETE.match(lines[0]):
        return raw  # the common case: nothing to repair
    kept: list[bytes] = []
    for n, line in enumerate(lines):
        bare = line.rstrip(b"\r")
        if n == 0 and _UNIX_FROM.match(bare) or _HEADER.match(bare) or (line[:1] in (b" ", b"\t") and kept):
            kept.append(line)
        elif obsolete := _OBSOLETE.match(bare):
            kept.append(obsolete.group(1) + b":" + line[obsolete.end() :])
        elif not kept or not _header_follows(lines, n + 1):
            # No header before or after it: this is where the body starts (a mail without the blank line).
            return b"\n".join(kept + lines[n:]) + raw[end:]
        # else: a stray line between two headers is skipped
    return b"\n".join(kept) + raw[end:]


def _header_follows(lines: list[bytes], start: int) -> bool:
    for line in lines[start:]:
        if line[:1] in (b" ", b"\t"):
            continue
        bare = line.rstrip(b"\r")
        return bool(_HEADER.match(bare) or _OBSOLETE.match(bare))
    return False
