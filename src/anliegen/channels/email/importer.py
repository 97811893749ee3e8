"""Bulk import of mail from .eml files, Maildir folders and mbox files, oldest first, idempotently."""

from __future__ import annotations

import mailbox
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from anliegen.core.models import Brand
from anliegen.intake import parse_ahead
from anliegen.intake.models import Inbound, InboundState
from anliegen.intake.pipeline import process_ids
from anliegen.intake.stages.parse import parser_meta

from .inbound import Item, header_facts, items_for, message_id_of, store

CHUNK = 200
_MSGID = re.compile(r"<([^<>\s]+)>")
_ADDRESS = re.compile(r"[\w.+=-]+@[\w.-]+")
_NUMBER = re.compile(r"\d+")


@dataclass
class Entry:
    """One message found in the sources: where to read it and what orders it."""

    load: Callable[[], bytes]
    origin: str
    sent: datetime | None = None
    message_id: str = ""
    parent: str = ""
    depth: int = 0
    facts: tuple[str, str] | None = None  # (Message-ID, sender) as inbound.header_facts reads them


@dataclass
class Summary:
    found: int = 0
    imported: int = 0
    duplicates: int = 0
    automatic: int = 0
    unreadable: int = 0
    quarantined: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "found": self.found,
            "imported": self.imported,
            "duplicates_skipped": self.duplicates,
            "automatic": self.automatic,
            "unreadable": self.unreadable,
            "quarantined": sum(self.quarantined.values()),
            "quarantined_by_reason": dict(self.quarantined.most_common()),
        }


def _file_loader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _mailbox_loader(box: mailbox.Mailbox, key: str) -> Callable[[], bytes]:
    return lambda: box.get_bytes(key)


# An mbox separator: `From <sender> <asctime date>` (an address or MAILER-DAEMON, then a time and a year).
# A body line "From now on..." that the writer did not escape, or an obsolete `From  :` header, is none.
_SEPARATOR = re.compile(rb"^From [^\s:]+ +.*\b\d{1,2}:\d{2}(?::\d{2})?\b.*\b\d{4}\b.*$")


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as fh:
        return bool(_SEPARATOR.match(fh.readline(1000).rstrip(b"\r\n")))


def mbox_messages(data: bytes) -> list[bytes]:
    """The messages of an mbox, split only on real separator lines that follow a blank line (or start the file)."""
    starts = [0]
    offset, previous_blank = 0, True
    for line in data.splitlines(keepends=True):
        bare = line.rstrip(b"\r\n")
        if offset and previous_blank and _SEPARATOR.match(bare):
            starts.append(offset)
        previous_blank = not bare.strip()
        offset += len(line)
    chunks = [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]
    # Each message without its separator line; the blank line before the next separator is the mbox's.
    return [c.split(b"\n", 1)[1] if b"\n" in c else b"" for c in chunks if c.strip()]


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def discover(paths: list[str]) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(origin, loader) for every message under the given files and folders."""
    for name in paths:
        path = Path(name)
        if path.is_dir() and _is_maildir(path):
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.iterkeys()):
                yield f"{path}:{key}", _mailbox_loader(box, key)
        elif path.is_dir():
            children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            yield from discover([str(p) for p in children if p.is_dir() or p.is_file()])
        elif path.is_file() and _is_mbox(path):
            for n, raw in enumerate(mbox_messages(path.read_bytes())):
                yield f"{path}:{n}", (lambda raw=raw: raw)
        elif path.is_file():
            yield str(path), _file_loader(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {name}")


def describe(origin: str, load: Callable[[], bytes]) -> Entry:
    return Entry(load, origin, *header_order(load()))


def header_order(raw: bytes) -> tuple[datetime | None, str, str, int, tuple[str, str] | None]:
    """What orders a message (Date, Message-ID, parent, depth of References) and its header facts, read from
    one parse of its headers: the fields of an Entry after its source."""
    message_id, parent, depth, sent, headers = "", "", 0, None, None
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        message_id = message_id_of(str(headers.get("Message-ID") or ""), raw)
        parents = _MSGID.findall(str(headers.get("In-Reply-To") or ""))
        refs = _MSGID.findall(str(headers.get("References") or ""))
        parent = (parents or refs[-1:] or [""])[0]
        depth = len(refs)
        sent = parsedate_to_datetime(str(headers.get("Date") or ""))
    except Exception:  # noqa: BLE001 - an unreadable header only loses its place in the order
        sent = sent if isinstance(sent, datetime) else None
    if sent is not None and sent.tzinfo is None:
        from django.utils import timezone

        sent = timezone.make_aware(sent, timezone.get_default_timezone())
    return sent, message_id, parent, depth, header_facts(raw, headers) if headers is not None else None


def _describe_all(sources: list[tuple[str, Callable[[], bytes]]], ahead: bool) -> list[Entry]:
    """Every source's Entry; a large import shares the header reading with the parse processes (parse_ahead)."""
    if not ahead:
        return [describe(origin, load) for origin, load in sources]
    found = parse_ahead.shared_map(header_order, [load() for _origin, load in sources])
    return [Entry(load, origin, *order) for (origin, load), order in zip(sources, found, strict=True)]


def ordered(entries: list[Entry]) -> list[Entry]:
    """By Date, and never a reply before the mail it answers (clocks lie; In-Reply-To does not)."""
    last: datetime | None = None
    keyed = []
    for n, entry in enumerate(entries):
        # Undated mail keeps its place next to the dated mail found before it.
        last = entry.sent or last
        keyed.append(((last.timestamp() if last else 0.0), entry.depth, n, entry))
    by_date = [e for *_, e in sorted(keyed, key=lambda k: k[:3])]
    present = {e.message_id for e in entries}
    out: list[Entry] = []
    emitted: set[str] = set()
    waiting: dict[str, list[Entry]] = {}

    def emit(entry: Entry) -> None:
        stack = [entry]
        while stack:
            item = stack.pop()
            out.append(item)
            emitted.add(item.message_id)
            stack.extend(reversed(waiting.pop(item.message_id, [])))

    for entry in by_date:
        if entry.parent and entry.parent in present and entry.parent not in emitted:
            waiting.setdefault(entry.parent, []).append(entry)
        else:
            emit(entry)
    for rest in list(waiting.values()):  # cycles or parents that never came: keep date order
        for entry in rest:
            if entry.message_id not in emitted:
                emit(entry)
    return out


def import_mail(
    paths: list[str],
    brand_id: int | None = None,
    acknowledge: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Store and process every message found; running it again stores nothing twice."""
    summary = Summary()
    sources = list(discover(paths))
    # With more than one chunk, headers are read and each chunk is parsed in other processes while the one
    # before goes through the pipeline here (parse_ahead); what is not parsed ahead is parsed in the pipeline.
    ahead = len(sources) > CHUNK
    entries = ordered(_describe_all(sources, ahead))
    summary.found = len(entries)
    fresh_ids: list[int] = []
    chunks = [entries[start : start + CHUNK] for start in range(0, len(entries), CHUNK)]
    meta_brand = Brand.objects.filter(pk=brand_id).first() if brand_id and ahead else None
    previous: tuple[list[Entry], list[int]] | None = None
    for chunk in [*chunks, None]:
        if chunk is not None:
            items = _items(chunk, brand_id, acknowledge, summary)
            accepted = store(items)
            new = [a.inbound_id for a in accepted if not a.duplicate]
            summary.duplicates += sum(1 for a in accepted if a.duplicate)
            if ahead:
                parse_ahead.submit(_jobs(items, accepted, meta_brand))
        if previous is not None:
            done, ids = previous
            process_ids(ids)
            parse_ahead.forget(ids)
            fresh_ids.extend(ids)
            if progress:
                progress(len(done), len(entries))
        previous = (chunk, new) if chunk is not None else None
    _finish(fresh_ids, summary)
    return summary


def _items(chunk: list[Entry], brand_id: int | None, acknowledge: bool, summary: Summary) -> list[Item]:
    items: list[Item] = []
    for entry in chunk:
        try:
            raw = entry.load()
        except OSError:
            summary.unreadable += 1
            continue
        extra = {"imported": True, "source": entry.origin[-200:]}
        if not acknowledge:
            extra["no_acknowledge"] = True
        rcpts, brands = ([""], [brand_id]) if brand_id else ([], [])
        items.extend(items_for(raw, rcpts, brands, facts=entry.facts, **extra))
    return items


def _jobs(items: list[Item], accepted: list, brand) -> list[parse_ahead.Job]:  # noqa: ANN001 - Brand | None
    """The new Inbounds' payloads and meta as the parse stage will see them (stages/parse.parser_meta)."""
    return [
        (done.inbound_id, channel, raw, parser_meta(meta, brand))
        for (channel, _external_id, raw, meta, *_rest), done in zip(items, accepted, strict=True)
        if not done.duplicate
    ]


def _finish(ids: list[int], summary: Summary) -> None:
    """Process what earlier chunks put back in the queue, then count outcomes from the database."""
    from anliegen.core.models import Message, MessageKind

    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        while waiting := list(
            Inbound.objects.filter(pk__in=chunk, state=InboundState.RECEIVED).values_list("id", flat=True)
        ):
            process_ids(waiting)
    summary.imported = len(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = Inbound.objects.filter(pk__in=chunk).values_list("state", "stage", "reason")
        for state, stage, reason in rows:
            if state == InboundState.DISCARDED:
                summary.automatic += 1
            elif state == InboundState.QUARANTINED:
                summary.quarantined[f"{stage}: {_general(reason)}"] += 1
        summary.automatic += Message.objects.filter(inbound_id__in=chunk, kind=MessageKind.AUTOMATIC).count()


def _general(reason: str) -> str:
    """A quarantine reason without the addresses and numbers that make each one unique."""
    reason = _ADDRESS.sub("<address>", reason.splitlines()[0] if reason else "")
    return _NUMBER.sub("N", reason)[:120]
