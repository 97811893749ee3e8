"""Read a PBX's call event in any of the three formats we accept into one CallEvent (pure, no database).

Formats: Zammad's generic CTI (form-encoded or JSON: newCall / answer / hangup), Twilio Voice status
callbacks (form-encoded), and Anliegen's own JSON (docs/phone.md). Bad input raises EventError naming the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs

FORMATS = ("zammad", "twilio", "json")
KINDS = ("ring", "answer", "hangup")
RESULTS = ("answered", "missed", "busy", "voicemail")


class EventError(ValueError):
    """The event cannot be read; `field` names what is missing or wrong (told to the PBX with a 400)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


@dataclass(frozen=True)
class CallEvent:
    kind: str  # ring | answer | hangup
    call_id: str
    direction: str  # in | out (seen from us)
    from_number: str
    to_number: str
    at: str = ""  # ISO 8601 with time zone; empty: when it arrived
    extension: str = ""  # who rang / answered / called on our side (extension, login or address)
    users: list[str] = field(default_factory=list)  # names the PBX gave for our side
    cause: str = ""
    result: str = ""  # stated by the PBX (JSON, Twilio); else derived from the events
    duration: int | None = None  # talk time in seconds, when the PBX tells it
    caller_name: str = ""

    @property
    def key(self) -> str:
        """The idempotency key within a brand: one event of each kind per call; a transfer answers anew."""
        suffix = f":{self.extension}" if self.kind in ("ring", "answer") and self.extension else ""
        return f"{self.call_id}:{self.kind}{suffix}"

    @property
    def customer_number(self) -> str:
        return self.from_number if self.direction == "in" else self.to_number

    @property
    def line_number(self) -> str:
        return self.to_number if self.direction == "in" else self.from_number

    def as_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def read(fmt: str, raw: bytes, content_type: str = "") -> CallEvent:
    if fmt == "zammad":
        return zammad(_fields(raw, content_type))
    if fmt == "twilio":
        return twilio(_fields(raw, content_type))
    if fmt == "json":
        return anliegen(_json(raw))
    raise EventError("format", f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise EventError("body", f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise EventError("body", "a JSON object is expected")
    return data


def _fields(raw: bytes, content_type: str) -> dict:
    """Form fields (last value wins, `user[]` kept as a list), or a JSON object when the PBX sent JSON."""
    if "json" in content_type.lower() or raw.lstrip()[:1] == b"{":
        return _json(raw)
    try:
        parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise EventError("body", "form data is not UTF-8") from exc
    data: dict = {k: v[-1] for k, v in parsed.items() if k != "user[]"}
    if "user[]" in parsed:
        data["user"] = parsed["user[]"]
    return data


def _text(data: dict, name: str, required: bool = True, limit: int = 250) -> str:
    value = data.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise EventError(name, "missing")
        return ""
    if not isinstance(value, str | int):
        raise EventError(name, "must be text")
    value = str(value).strip()
    if len(value) > limit:
        raise EventError(name, f"longer than {limit} characters")
    return value


def _users(data: dict) -> list[str]:
    value = data.get("user") or []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip()[:120] for v in values if str(v).strip()][:20]


_ZAMMAD_KINDS = {"newCall": "ring", "answer": "answer", "hangup": "hangup"}
# Zammad's hangup causes (docs.zammad.org, generic CTI, hangup event) and what the caller lived through.
_ZAMMAD_CAUSES = {
    "normalClearing": "answered",  # "hung up after the call was established"
    "busy": "busy",
    "cancel": "missed",
    "noAnswer": "missed",
    "congestion": "missed",
    "notFound": "missed",
    "forwarded": "",
}


def zammad(data: dict) -> CallEvent:
    name = _text(data, "event")
    if name not in _ZAMMAD_KINDS:
        raise EventError("event", f"unknown event {name!r} (newCall, answer or hangup)")
    direction = _text(data, "direction")
    if direction not in ("in", "out"):
        raise EventError("direction", f"{direction!r} is neither in nor out")
    users = _users(data)
    kind = _ZAMMAD_KINDS[name]
    extension = _text(data, "answeringNumber", required=False, limit=120)
    result = ""
    if kind == "answer" and any(u.lower() == "voicemail" for u in users):
        result = "voicemail"  # sipgate.io and Zammad name the voicemail as the answering user
    cause = _text(data, "cause", required=kind == "hangup", limit=40)
    if kind == "hangup" and cause not in _ZAMMAD_CAUSES:
        raise EventError("cause", f"unknown cause {cause!r}")
    if kind == "hangup":
        result = _ZAMMAD_CAUSES[cause]
    return CallEvent(
        kind=kind,
        call_id=_text(data, "callId"),
        direction=direction,
        from_number=_text(data, "from", limit=64),
        to_number=_text(data, "to", limit=64),
        at=_time(data, "at"),
        extension=extension,
        users=users,
        cause=cause,
        result=result,
    )


# Twilio Voice CallStatus values (twilio.com/docs/voice/api/call-resource#call-status-values).
_TWILIO_STATUS = {
    "queued": ("ring", ""),
    "initiated": ("ring", ""),
    "ringing": ("ring", ""),
    "in-progress": ("answer", ""),
    "completed": ("hangup", "answered"),
    "busy": ("hangup", "busy"),
    "no-answer": ("hangup", "missed"),
    "canceled": ("hangup", "missed"),
    "failed": ("hangup", "missed"),
}


def twilio(data: dict) -> CallEvent:
    status = _text(data, "CallStatus")
    if status not in _TWILIO_STATUS:
        raise EventError("CallStatus", f"unknown status {status!r}")
    kind, result = _TWILIO_STATUS[status]
    twilio_direction = _text(data, "Direction")
    # A <Dial>ed leg to an agent is part of the customer's call: its parent's sid is the call's id.
    leg = twilio_direction == "outbound-dial"
    direction = "out" if twilio_direction == "outbound-api" else "in"
    to_number = _text(data, "To", limit=120)
    extension = _twilio_extension(to_number) if leg or direction == "in" else ""
    if direction == "out":
        extension = _twilio_extension(_text(data, "From", limit=120))
    if str(data.get("AnsweredBy", "")).startswith("machine"):
        result = "voicemail" if kind == "hangup" else result
    duration = _text(data, "CallDuration", required=False)
    if duration and not duration.isdigit():
        raise EventError("CallDuration", f"{duration!r} is not a number of seconds")
    call_id = _text(data, "ParentCallSid", required=False) if leg else ""
    return CallEvent(
        kind=kind,
        call_id=call_id or _text(data, "CallSid"),
        direction=direction,
        from_number=_text(data, "From", limit=120),
        to_number=to_number,
        at=_twilio_time(data),
        extension=extension if (leg or direction == "out") else "",
        cause=status,
        result=result,
        duration=int(duration) if duration else None,
        caller_name=_text(data, "CallerName", required=False, limit=120),
    )


def _twilio_extension(address: str) -> str:
    """`client:anna` → anna, `sip:201@pbx.example` → 201; a plain number is not an extension."""
    if address.startswith("client:"):
        return address[7:]
    if address.startswith("sip:"):
        return address[4:].split("@", 1)[0]
    return ""


def _twilio_time(data: dict) -> str:
    value = _text(data, "Timestamp", required=False)
    if not value:
        return ""
    try:
        return parsedate_to_datetime(value).astimezone(UTC).isoformat()
    except (TypeError, ValueError, IndexError) as exc:
        raise EventError("Timestamp", f"{value!r} is not an RFC 2822 date") from exc


def anliegen(data: dict) -> CallEvent:
    kind = _text(data, "event")
    if kind not in KINDS:
        raise EventError("event", f"unknown event {kind!r} ({', '.join(KINDS)})")
    direction = _text(data, "direction")
    if direction not in ("in", "out"):
        raise EventError("direction", f"{direction!r} is neither in nor out")
    result = _text(data, "result", required=False, limit=20)
    if result and result not in RESULTS:
        raise EventError("result", f"unknown result {result!r} ({', '.join(RESULTS)})")
    duration = data.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration < 0):
        raise EventError("duration", "must be a whole number of seconds")
    return CallEvent(
        kind=kind,
        call_id=_text(data, "call_id"),
        direction=direction,
        from_number=_text(data, "from", limit=64),
        to_number=_text(data, "to", limit=64),
        at=_time(data, "at"),
        extension=_text(data, "extension", required=False, limit=120),
        users=_users(data),
        cause=_text(data, "cause", required=False, limit=40),
        result=result,
        duration=duration,
        caller_name=_text(data, "caller_name", required=False, limit=120),
    )


def _time(data: dict, name: str) -> str:
    value = _text(data, name, required=False)
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise EventError(name, f"{value!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise EventError(name, "needs a time zone")
    return moment.astimezone(UTC).isoformat()
