"""Text that may end up in a mail header (subjects, names) kept to one line, as mail subjects are read."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def one_line(value: str) -> str:
    """Line breaks and other whitespace runs become one space, control characters go.

    A subject with CR/LF, stored once, made every later mail on its case fail with BadHeaderError.
    """
    return _CONTROL.sub("", _SPACE.sub(" ", value or "")).strip()
