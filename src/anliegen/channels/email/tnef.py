"""Unpack Outlook's winmail.dat (TNEF, MS-OXTNEF): its text and its attachments, so an agent can open them.

The format is a flat list of attributes (level, id, length, data, checksum); attachments start with
attAttachRendData and carry their name in attAttachTitle (8.3) or, in their MAPI properties, the long name.
tnefparse, the Python library for it, has had no release since 2021; the part needed here is small.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SIGNATURE = 0x223E9F78
_BODY = 0x2800C
_ATTACH_REND_DATA = 0x69002
_ATTACH_TITLE = 0x18010
_ATTACH_DATA = 0x6800F
_ATTACHMENT = 0x69005  # the attachment's MAPI properties
_MSG_PROPS = 0x69003  # the message's MAPI properties
_OEM_CODEPAGE = 0x69007
_PR_BODY = 0x1000
_PR_BODY_HTML = 0x1013
_PR_ATTACH_LONG_FILENAME = 0x3707
_PR_ATTACH_DATA_BIN = 0x3701
_PR_ATTACH_MIME_TAG = 0x370E
# Sizes of the fixed-width MAPI property types (MS-OXCDATA 2.11.1).
_FIXED = {0x0002: 2, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000A: 4, 0x000B: 2, 0x0014: 8, 0x0040: 8}
_VARIABLE = {0x001E, 0x001F, 0x0102, 0x000D, 0x0048}
MAX_ATTACHMENTS = 200


@dataclass
class TnefFile:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Tnef:
    text: str = ""
    html: str = ""
    files: list[TnefFile] = field(default_factory=list)


def is_tnef(data: bytes) -> bool:
    return len(data) >= 6 and struct.unpack_from("<I", data)[0] == SIGNATURE


def unpack(data: bytes) -> Tnef:
    """What the TNEF stream holds; stops quietly at the first damaged attribute (what was read is kept)."""
    out = Tnef()
    if not is_tnef(data):
        return out
    codepage = "cp1252"
    pos = 6
    current: TnefFile | None = None
    while pos + 9 <= len(data):
        _level, attr, length = struct.unpack_from("<BII", data, pos)
        value = data[pos + 9 : pos + 9 + length]
        pos += 9 + length + 2  # the checksum is not needed to read
        if len(value) < length:
            break
        if attr == _OEM_CODEPAGE and length >= 4:
            codepage = f"cp{struct.unpack_from('<I', value)[0]}"
        elif attr == _BODY:
            out.text = _text(value, codepage)
        elif attr == _ATTACH_REND_DATA:
            if len(out.files) >= MAX_ATTACHMENTS:
                break
            current = TnefFile("attachment", b"")
            out.files.append(current)
        elif attr == _ATTACH_TITLE and current is not None:
            current.filename = _text(value, codepage) or current.filename
        elif attr == _ATTACH_DATA and current is not None:
            current.data = value
        elif attr == _ATTACHMENT and current is not None:
            props = _properties(value)
            current.filename = _string(props.get(_PR_ATTACH_LONG_FILENAME), codepage) or current.filename
            current.content_type = _string(props.get(_PR_ATTACH_MIME_TAG), codepage) or current.content_type
            if not current.data and isinstance(props.get(_PR_ATTACH_DATA_BIN), bytes):
                current.data = props[_PR_ATTACH_DATA_BIN][1]
        elif attr == _MSG_PROPS:
            props = _properties(value)
            out.text = out.text or _string(props.get(_PR_BODY), codepage)
            out.html = _string(props.get(_PR_BODY_HTML), codepage)
    out.files = [f for f in out.files if f.data]
    return out


def _text(value: bytes, codepage: str) -> str:
    try:
        return value.rstrip(b"\0").decode(codepage, "replace")
    except LookupError:
        return value.rstrip(b"\0").decode("cp1252", "replace")


def _string(prop: tuple[int, bytes] | None, codepage: str) -> str:
    if prop is None:
        return ""
    kind, raw = prop
    if kind == 0x001F:
        return raw.decode("utf-16-le", "replace").rstrip("\0")
    return _text(raw, codepage)


def _properties(data: bytes) -> dict[int, tuple[int, bytes]]:
    """MAPI properties (MS-OXTNEF 2.1.3.4): id -> (type, first value's bytes). Named ones are skipped over."""
    props: dict[int, tuple[int, bytes]] = {}
    try:
        (count,) = struct.unpack_from("<I", data)
        pos = 4
        for _ in range(min(count, 10000)):
            kind, pid = struct.unpack_from("<HH", data, pos)
            pos += 4
            if pid >= 0x8000:  # a named property: GUID, kind, then an id or a name
                pos += 16
                (named,) = struct.unpack_from("<I", data, pos)
                pos += 4
                if named == 0:
                    pos += 4
                else:
                    (size,) = struct.unpack_from("<I", data, pos)
                    pos += 4 + size + (-size % 4)
            multi = bool(kind & 0x1000)
            kind &= 0x0FFF
            values = 1
            if multi or kind in _VARIABLE:
                (values,) = struct.unpack_from("<I", data, pos)
                pos += 4 if multi or kind in _VARIABLE else 0
            first = b""
            for n in range(values):
                if kind in _VARIABLE:
                    (size,) = struct.unpack_from("<I", data, pos)
                    raw = data[pos + 4 : pos + 4 + size]
                    pos += 4 + size + (-size % 4)
                else:
                    size = _FIXED.get(kind, 4)
                    raw = data[pos : pos + size]
                    pos += size + (-size % 4)
                if n == 0:
                    first = raw
            props[pid] = (kind, first)
    except struct.error:
        pass  # a truncated property list: keep what was read
    return props
