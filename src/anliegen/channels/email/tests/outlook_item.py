"""Write Outlook .msg files from their documented structure (MS-CFB version 3, MS-OXMSG) for the fixtures.

    python -m anliegen.channels.email.tests.outlook_item     # writes fixtures/outlook__msg_forwarded.eml again

A compound file is a header, a FAT (sector chains), a directory of 128-byte entries (a tree of storages and
streams), the mini stream holding every stream under 4096 bytes in 64-byte mini sectors, and a mini FAT.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
Tree = dict[str, "bytes | Tree"]  # a storage: name -> stream bytes or a storage


def compound_file(tree: Tree) -> bytes:
    entries: list[dict] = [{"name": "Root Entry", "kind": 5, "data": b"", "children": []}]

    def add(storage: Tree, parent: int) -> None:
        for name, value in storage.items():
            entries.append({"name": name, "kind": 2 if isinstance(value, bytes) else 1, "data": value, "children": []})
            entries[parent]["children"].append(len(entries) - 1)
            if isinstance(value, dict):
                add(value, len(entries) - 1)

    add(tree, 0)
    big: list[bytes] = []  # sector-sized blocks in file order (after the header)
    fat: list[int] = []

    def chain(data: bytes, unit: int, blocks: list[bytes], table: list[int]) -> int:
        if not data:
            return END
        start = len(blocks)
        count = -(-len(data) // unit)
        for n in range(count):
            blocks.append(data[n * unit : (n + 1) * unit].ljust(unit, b"\0"))
            table.append(start + n + 1 if n < count - 1 else END)
        return start

    minis: list[bytes] = []
    minifat: list[int] = []
    for entry in entries[1:]:
        if entry["kind"] == 2:
            data = entry["data"]
            entry["start"] = chain(data, MINI, minis, minifat) if len(data) < CUTOFF else chain(data, SECTOR, big, fat)
    entries[0]["start"] = chain(b"".join(minis), SECTOR, big, fat)
    entries[0]["data"] = b"\0" * (len(minis) * MINI)
    minifat_start = chain(_u32s(minifat, SECTOR), SECTOR, big, fat) if minifat else END
    for entry in entries:
        entry["left"] = entry["right"] = entry["child"] = NOSTREAM
    for entry in entries:
        entry["child"] = _tree(entries, sorted(entry["children"], key=lambda i: _order(entries[i]["name"])))
    unused = {"name": "", "kind": 0, "data": b"", "left": NOSTREAM, "right": NOSTREAM, "child": NOSTREAM}
    directory = b"".join(_entry(e) for e in entries + [unused] * (-len(entries) % (SECTOR // 128)))
    dir_start = chain(directory, SECTOR, big, fat)
    fat_count = 1
    while (len(big) + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    fat_start = len(big)
    fat += [FATSECT] * fat_count
    big += [b""] * fat_count
    table = _u32s(fat, SECTOR * fat_count)
    for n in range(fat_count):
        big[fat_start + n] = table[n * SECTOR : (n + 1) * SECTOR]
    difat = [fat_start + n for n in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, fat_count, dir_start, 0, CUTOFF, minifat_start, -(-len(minifat) * 4 // SECTOR) if minifat else 0,
        END, 0, *difat,
    )  # fmt: skip
    return header + b"".join(big)


def _u32s(values: list[int], size: int) -> bytes:
    data = struct.pack(f"<{len(values)}I", *values)
    return data + struct.pack("<I", FREE) * ((size - len(data) % size) % size // 4)


def _order(name: str) -> tuple[int, str]:
    return len(name), name.upper()  # shorter names first, then case-blind (MS-CFB 2.6.4)


def _tree(entries: list[dict], ids: list[int]) -> int:
    """A balanced binary tree of siblings (every node black: valid for a reader, never rebalanced)."""
    if not ids:
        return NOSTREAM
    mid = len(ids) // 2
    node = entries[ids[mid]]
    node["left"], node["right"] = _tree(entries, ids[:mid]), _tree(entries, ids[mid + 1 :])
    return ids[mid]


def _entry(e: dict) -> bytes:
    name = e["name"].encode("utf-16-le") + b"\0\0" if e["name"] else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ", name, len(name), e["kind"], 1, e["left"], e["right"], e["child"], b"\0" * 16,
        0, 0, 0, e.get("start", END) if e["kind"] != 1 else 0, len(e["data"]) if e["kind"] != 1 else 0,
    )  # fmt: skip


# -- MS-OXMSG ---------------------------------------------------------------------------------------------------


def _filetime(when: datetime) -> bytes:
    return struct.pack("<Q", int((when - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000))


def message(props: dict[int, str | bytes], sent: datetime | None = None, attachments: list[Tree] = (), top=True):
    """A message storage: string properties as UTF-16 streams, bytes as binary, the submit time fixed-size."""
    storage: Tree = {"__nameid_version1.0": {f"__substg1.0_000{n}0102": b"" for n in (2, 3, 4)}} if top else {}
    fixed = [struct.pack("<HHI", 0x0003, 0x3FFD, 6) + struct.pack("<I", 65001).ljust(8, b"\0")]  # code page
    if sent is not None:
        fixed.append(struct.pack("<HHI", 0x0040, 0x0039, 6) + _filetime(sent))
    for pid, value in {0x001A: "IPM.Note", **props}.items():  # the message class: an e-mail
        kind = 0x001F if isinstance(value, str) else 0x0102
        data = value.encode("utf-16-le") if isinstance(value, str) else value
        storage[f"__substg1.0_{pid:04X}{kind:04X}"] = data
        fixed.append(struct.pack("<HHIII", kind, pid, 6, len(data) + (2 if kind == 0x001F else 0), 0))
    head = struct.pack("<8xIIII8x", 0, len(attachments), 0, len(attachments)) if top else b"\0" * 24
    storage["__properties_version1.0"] = head + b"".join(fixed)
    for n, attachment in enumerate(attachments):
        storage[f"__attach_version1.0_#{n:08X}"] = attachment
    return storage


def file_attachment(name: str, data: bytes, mime: str) -> Tree:
    return {
        "__substg1.0_3707001F": name.encode("utf-16-le"),
        "__substg1.0_370E001F": mime.encode("utf-16-le"),
        "__substg1.0_37010102": data,
        "__properties_version1.0": b"\0" * 8 + struct.pack("<HHIQ", 0x0003, 0x3705, 6, 1),  # by value
    }


def item_attachment(item: Tree) -> Tree:
    return {
        "__substg1.0_3701000D": item,
        "__properties_version1.0": b"\0" * 8 + struct.pack("<HHIQ", 0x0003, 0x3705, 6, 5),  # embedded message
    }


CSV = "Zähler;Stand;Datum\r\n4711;12345;30.04.2026\r\n".encode("cp1252")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + bytes(range(256)) * 20


def forwarded_msg() -> bytes:
    """A customer's Outlook item with two files and, attached to it, the reply she had received."""
    earlier = message(
        {0x0037: "AW: Ablesung", 0x0C1A: "Stadtwerk Service", 0x5D01: "service@stadtwerk.example",
         0x1000: "Guten Tag Frau Groß,\r\nbitte senden Sie uns den Zählerstand.\r\n"},
        sent=datetime(2026, 4, 28, 9, 0, tzinfo=UTC),
        attachments=[file_attachment("Ablesekarte.txt", "Zähler 4711\r\n".encode("cp1252"), "text/plain")],
        top=False,
    )  # fmt: skip
    return compound_file(
        message(
            {
                0x0037: "Zählerstand Gewerbeanschluss",
                0x0C1A: "Groß, Clara",
                0x5D01: "clara.gross@firma.example",
                0x0E04: "service@stadtwerk.example",
                0x1000: "Sehr geehrte Damen und Herren,\r\nanbei der Zählerstand vom 30. April.\r\nClara Groß\r\n",
                0x1013: b"<html><body><p>Sehr geehrte Damen und Herren,</p></body></html>",
            },
            sent=datetime(2026, 5, 4, 16, 30, tzinfo=UTC),
            attachments=[
                file_attachment("Zählerstand April 2026.csv", CSV, "text/csv"),
                file_attachment("Vertrag.pdf", PDF, "application/pdf"),
                item_attachment(earlier),
            ],
        )  # fmt: skip
    )


def wrapped(item: bytes, filename: str, text: str | None, message_id: str, subject: str) -> bytes:
    """A mail carrying an Outlook item as its attachment (Outlook's "forward as attachment")."""
    mail = EmailMessage()
    mail["From"] = "Clara Groß <clara.gross@firma.example>"
    mail["To"] = "service@stadtwerk.example"
    mail["Subject"] = subject
    mail["Date"] = "Tue, 05 May 2026 08:14:03 +0200"
    mail["Message-ID"] = f"<{message_id}>"
    if text is not None:
        mail.set_content(text)
    else:
        mail.make_mixed()
    mail.add_attachment(item, maintype="application", subtype="vnd.ms-outlook", filename=filename)
    return bytes(mail)


if __name__ == "__main__":
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    raw = wrapped(
        forwarded_msg(), "Zählerstand Gewerbeanschluss.msg", "Anbei die Mail.\n", "msg-1@firma.example",
        "WG: Zählerstand Gewerbeanschluss",
    )  # fmt: skip
    (fixtures / "outlook__msg_forwarded.eml").write_bytes(raw)
