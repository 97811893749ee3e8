"""Unpack an Outlook item saved as .msg (MS-OXMSG): its text and its attachments, so an agent can open them.

A .msg is an OLE2 compound file (read with olefile); each MAPI property is a stream named
`__substg1.0_<id><type>` (fixed-size ones sit in `__properties_version1.0`), each attachment a storage
`__attach_version1.0_#<n>` with its data in PR_ATTACH_DATA_BIN, or, for an attached Outlook item, a nested
message storage. A body kept only as compressed RTF stays in the original file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import olefile

MAX_ATTACHMENTS = 200
MAX_DEPTH = 3  # items attached to items attached to items
_SUBJECT, _SENDER_NAME, _SENDER_SMTP, _SENDER_ADDRESS = 0x0037, 0x0C1A, 0x5D01, 0x0C1F
_DISPLAY_TO, _BODY, _HTML, _CODEPAGE = 0x0E04, 0x1000, 0x1013, 0x3FFD
_SUBMIT_TIME, _DELIVERY_TIME = 0x0039, 0x0E06  # sent (a draft has neither), received
_ATTACH_DATA, _ATTACH_SHORT_NAME, _ATTACH_LONG_NAME, _ATTACH_MIME = 0x3701, 0x3704, 0x3707, 0x370E
_ATTACH_DISPLAY_NAME = 0x3001
_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)  # FILETIME counts 100 ns steps from here


@dataclass
class MsgFile:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Msg:
    subject: str = ""
    sender: str = ""
    to: str = ""
    sent: datetime | None = None
    text: str = ""
    html: str = ""
    files: list[MsgFile] = field(default_factory=list)
    items: list[Msg] = field(default_factory=list)  # Outlook items attached to this one

    def summary(self) -> str:
        """The item as an agent reads a forwarded mail: a few header lines, then its text."""
        lines = [f"{label}: {value}" for label, value in self._heads() if value]
        return "\n".join([*lines, "", self.text.replace("\r\n", "\n").strip()]).strip() + "\n"

    def _heads(self) -> list[tuple[str, str]]:
        sent = self.sent.strftime("%Y-%m-%d %H:%M %z") if self.sent else ""
        return [("From", self.sender), ("To", self.to), ("Date", sent), ("Subject", self.subject)]


def is_msg(data: bytes) -> bool:
    return data[:8] == olefile.MAGIC


def unpack(data: bytes) -> Msg | None:
    """The item in the file; None when it is no readable Outlook item (the original is kept either way)."""
    if not is_msg(data):
        return None
    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # noqa: BLE001 - a damaged compound file: nothing to unpack
        return None
    try:
        if not ole.exists("__properties_version1.0"):
            return None  # another Office document (Word, Excel), not a mail item
        return _item(ole, "", 0)
    except Exception:  # noqa: BLE001 - damaged streams: keep the original only
        return None
    finally:
        ole.close()


def _item(ole: olefile.OleFileIO, base: str, depth: int) -> Msg:
    props = _Props(ole, base, header=32 if not base else 24)
    sender = props.text(_SENDER_NAME)
    address = props.text(_SENDER_SMTP) or props.text(_SENDER_ADDRESS)
    if address and "@" in address and address not in sender:
        sender = f"{sender} <{address}>" if sender else address
    html = props.raw(_HTML)
    item = Msg(
        subject=props.text(_SUBJECT),
        sender=sender,
        to=props.text(_DISPLAY_TO),
        sent=props.filetime(_SUBMIT_TIME) or props.filetime(_DELIVERY_TIME),
        text=props.text(_BODY),
        html=_decode(html, props.codepage) if html is not None else props.text(_HTML),
    )
    for name in _children(ole, base, "__attach_version1.0_#")[:MAX_ATTACHMENTS]:
        _attachment(ole, f"{base}{name}/", depth, item)
    return item


def _children(ole: olefile.OleFileIO, base: str, prefix: str) -> list[str]:
    """Names of the storages directly below `base` that start with `prefix`, in file order."""
    parts = [p for p in base.split("/") if p]
    found = {
        entry[len(parts)]
        for entry in ole.listdir(streams=False, storages=True)
        if len(entry) == len(parts) + 1 and entry[: len(parts)] == parts and entry[-1].startswith(prefix)
    }
    return sorted(found)


def _attachment(ole: olefile.OleFileIO, base: str, depth: int, item: Msg) -> None:
    props = _Props(ole, base, header=8)
    nested = f"{base}__substg1.0_{_ATTACH_DATA:04X}000D"
    if ole.exists(nested) and ole.get_type(nested) == olefile.STGTY_STORAGE:
        if depth < MAX_DEPTH:
            item.items.append(_item(ole, nested + "/", depth + 1))
        return
    data = props.raw(_ATTACH_DATA)
    if not data:
        return
    name = props.text(_ATTACH_LONG_NAME) or props.text(_ATTACH_SHORT_NAME) or props.text(_ATTACH_DISPLAY_NAME)
    item.files.append(MsgFile(name or "attachment", data, props.text(_ATTACH_MIME) or "application/octet-stream"))


class _Props:
    """The MAPI properties of one object (message, attachment) of the file."""

    def __init__(self, ole: olefile.OleFileIO, base: str, header: int) -> None:
        self.ole, self.base = ole, base
        self.fixed: dict[int, bytes] = {}
        raw = self._stream("__properties_version1.0") or b""
        for pos in range(header, len(raw) - 15, 16):  # (type, id, flags, 8 bytes of value)
            _kind, pid = struct.unpack_from("<HH", raw, pos)
            self.fixed[pid] = raw[pos + 8 : pos + 16]
        page = self.fixed.get(_CODEPAGE)
        self.codepage = f"cp{struct.unpack_from('<I', page)[0]}" if page else "cp1252"

    def _stream(self, name: str) -> bytes | None:
        path = self.base + name
        if not self.ole.exists(path) or self.ole.get_type(path) != olefile.STGTY_STREAM:
            return None
        return self.ole.openstream(path).read()

    def raw(self, pid: int) -> bytes | None:
        return self._stream(f"__substg1.0_{pid:04X}0102")

    def text(self, pid: int) -> str:
        unicode = self._stream(f"__substg1.0_{pid:04X}001F")
        if unicode is not None:
            return unicode.decode("utf-16-le", "replace").rstrip("\0")
        eight_bit = self._stream(f"__substg1.0_{pid:04X}001E")
        return _decode(eight_bit, self.codepage) if eight_bit is not None else ""

    def filetime(self, pid: int) -> datetime | None:
        value = self.fixed.get(pid)
        if not value:
            return None
        ticks = struct.unpack("<Q", value)[0]
        return _EPOCH + timedelta(microseconds=ticks // 10) if 0 < ticks < 2**62 else None


def _decode(data: bytes, codepage: str) -> str:
    data = data.rstrip(b"\0")
    if codepage == "cp65001":
        codepage = "utf-8"
    try:
        return data.decode(codepage, "replace")
    except LookupError:
        return data.decode("cp1252", "replace")
