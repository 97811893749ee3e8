"""A call's facts merged from its events: the same answer whatever order the events came in (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .events import CallEvent

# [kind, at (ISO), extension, result, duration]: how an applied event is kept on the Call row.
Entry = list


def entry(event: CallEvent, at: datetime) -> Entry:
    return [event.kind, at.isoformat(), event.extension, event.result, event.duration]


def add(entries: list[Entry], new: Entry) -> list[Entry]:
    """The entries with `new` among them once (a repeated event changes nothing), oldest first."""
    if any(e[:3] == new[:3] for e in entries):
        return entries
    return sorted([*entries, new], key=lambda e: (e[1], ("ring", "answer", "hangup").index(e[0])))


@dataclass(frozen=True)
class Summary:
    started_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    extension: str  # who has (or last had) the caller: the latest answer's extension
    previous: list[str]  # extensions that answered before a transfer
    ringing: list[str]  # extensions that rang
    result: str
    duration: int | None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


def summarise(entries: list[Entry]) -> Summary:
    rings = [e for e in entries if e[0] == "ring"]
    answers = [e for e in entries if e[0] == "answer"]
    hangups = [e for e in entries if e[0] == "hangup"]
    first = entries[0] if entries else None
    answered = answers[0] if answers else None
    hangup = hangups[-1] if hangups else None
    extensions = [e[2] for e in answers if e[2]]
    # The hangup tells the answering extension too (Zammad's answeringNumber) when its answer was lost.
    if hangup is not None and hangup[2] and not extensions:
        extensions = [hangup[2]]
    if any(e[3] == "voicemail" for e in answers + hangups):
        result = "voicemail"
    elif answered is not None or (hangup is not None and hangup[3] == "answered"):
        result = "answered"
    elif hangup is not None:
        result = hangup[3] or "missed"
    else:
        result = "ringing"
    ended_at = _at(hangup)
    answered_at = _at(answered)
    duration = hangup[4] if hangup is not None and hangup[4] is not None else None
    if duration is None and answered_at and ended_at and result == "answered":
        duration = max(0, int((ended_at - answered_at).total_seconds()))
    if result not in ("answered", "voicemail"):
        duration = 0 if ended_at else None
    return Summary(
        started_at=_at(first),
        answered_at=answered_at,
        ended_at=ended_at,
        extension=extensions[-1] if extensions else "",
        previous=extensions[:-1],
        ringing=list(dict.fromkeys(e[2] for e in rings if e[2])),
        result=result,
        duration=duration,
    )


def _at(e: Entry | None) -> datetime | None:
    return datetime.fromisoformat(e[1]) if e is not None else None
