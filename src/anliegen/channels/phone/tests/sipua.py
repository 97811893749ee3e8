"""A small SIP user agent over UDP for the Kamailio test: register, call, answer, hang up (RFC 3261, no media)."""

from __future__ import annotations

import random
import re
import socket
import threading
import uuid
from dataclasses import dataclass, field


def _tag() -> str:
    return uuid.uuid4().hex[:10]


@dataclass
class Message:
    first: str
    headers: dict[str, list[str]]
    body: str = ""

    @property
    def status(self) -> int:
        return int(self.first.split()[1]) if self.first.startswith("SIP/2.0") else 0

    @property
    def method(self) -> str:
        return "" if self.first.startswith("SIP/2.0") else self.first.split()[0]

    def one(self, name: str) -> str:
        return (self.headers.get(name.lower()) or [""])[0]


def parse(data: bytes) -> Message:
    head, _sep, body = data.decode("utf-8", "replace").partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers: dict[str, list[str]] = {}
    compact = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length"}
    for line in lines[1:]:
        name, _c, value = line.partition(":")
        key = compact.get(name.strip().lower(), name.strip().lower())
        headers.setdefault(key, []).append(value.strip())
    return Message(lines[0], headers, body)


@dataclass
class UserAgent:
    """One SIP endpoint on 127.0.0.1; `user` is its extension or the caller's number."""

    user: str
    proxy: tuple[str, int]
    sock: socket.socket = field(init=False)
    received: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.contact = f"<sip:{self.user}@127.0.0.1:{self.port}>"
        self._lock = threading.Lock()

    def close(self) -> None:
        self.sock.close()

    def _via(self) -> str:
        return f"SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{uuid.uuid4().hex[:12]};rport"

    def send(self, text: str, to: tuple[str, int] | None = None) -> None:
        self.sock.sendto(text.encode(), to or self.proxy)

    def request(self, method: str, uri: str, headers: dict[str, str], body: str = "") -> None:
        lines = [f"{method} {uri} SIP/2.0", f"Via: {self._via()}", "Max-Forwards: 70"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines += ["User-Agent: anliegen-test", f"Content-Length: {len(body.encode())}", "", body]
        self.send("\r\n".join(lines))

    def reply(self, request: Message, status: int, reason: str, to_tag: str = "", body: str = "") -> None:
        to = request.one("to")
        if to_tag and ";tag=" not in to:
            to += f";tag={to_tag}"
        lines = [f"SIP/2.0 {status} {reason}"]
        lines += [f"Via: {v}" for v in request.headers.get("via", [])]
        lines += [f"Record-Route: {r}" for r in request.headers.get("record-route", [])]
        lines += [f"From: {request.one('from')}", f"To: {to}", f"Call-ID: {request.one('call-id')}"]
        lines += [f"CSeq: {request.one('cseq')}", f"Contact: {self.contact}"]
        if body:
            lines.append("Content-Type: application/sdp")
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        self.send("\r\n".join(lines), self._reply_target(request))

    def _reply_target(self, request: Message) -> tuple[str, int]:
        via = request.headers["via"][0]
        host, port = re.search(r"UDP ([\d.]+):(\d+)", via).groups()
        received = re.search(r"received=([\d.]+)", via)
        rport = re.search(r"rport=(\d+)", via)
        return (received.group(1) if received else host, int(rport.group(1)) if rport else int(port))

    def wait(self, want, timeout: float = 60.0) -> Message:
        """The next message `want(message)` accepts; other messages are kept in `received`."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data, _peer = self.sock.recvfrom(65535)
            except TimeoutError:
                continue
            message = parse(data)
            self.received.append(message)
            if want(message):
                return message
        raise TimeoutError(f"{self.user}: nothing wanted within {timeout}s; got {[m.first for m in self.received]}")

    # -- flows ----------------------------------------------------------------------------------------------

    def register(self) -> None:
        call_id, aor = uuid.uuid4().hex, f"sip:{self.user}@127.0.0.1"
        self.request("REGISTER", f"sip:127.0.0.1:{self.proxy[1]}", {
            "From": f"<{aor}>;tag={_tag()}", "To": f"<{aor}>", "Call-ID": call_id, "CSeq": "1 REGISTER",
            "Contact": self.contact, "Expires": "300",
        })  # fmt: skip
        ok = self.wait(lambda m: m.status and "REGISTER" in m.one("cseq"))
        assert ok.status == 200, ok.first

    def call(self, to: str) -> Dialog:
        call_id, tag = uuid.uuid4().hex, _tag()
        sdp = _sdp(self.port)
        dialog = Dialog(self, call_id, f"<sip:{self.user}@127.0.0.1>;tag={tag}", f"<sip:{to}@127.0.0.1>")
        self.request("INVITE", f"sip:{to}@127.0.0.1:{self.proxy[1]}", {
            "From": dialog.local, "To": dialog.remote, "Call-ID": call_id, "CSeq": "1 INVITE",
            "Contact": self.contact, "Content-Type": "application/sdp",
        }, sdp)  # fmt: skip
        return dialog

    def answer_next_call(self, ring_seconds: float = 0.3, timeout: float = 60.0) -> Dialog:
        # The PBX asks Anliegen and posts the ring event before it rings: allow for a loaded test machine.
        invite = self.wait(lambda m: m.method == "INVITE", timeout)
        tag = _tag()
        self.reply(invite, 180, "Ringing", tag)
        threading.Event().wait(ring_seconds)
        self.reply(invite, 200, "OK", tag, _sdp(self.port))
        return Dialog(self, invite.one("call-id"), invite.one("to") + f";tag={tag}", invite.one("from"), invite)

    def reject_next_call(self, status: int = 486, reason: str = "Busy Here") -> None:
        invite = self.wait(lambda m: m.method == "INVITE")
        tag = _tag()
        self.reply(invite, status, reason, tag)
        self.wait(lambda m: m.method == "ACK")


@dataclass
class Dialog:
    ua: UserAgent
    call_id: str
    local: str
    remote: str
    invite: Message | None = None  # the INVITE this side received (callee)
    route: list[str] = field(default_factory=list)
    target: str = ""
    cseq: int = 1

    def established(self, timeout: float = 60.0) -> Message:
        """Caller: wait for the final answer; a 2xx is acknowledged through the proxy's route."""
        final = self.ua.wait(lambda m: m.status >= 200 and m.one("call-id") == self.call_id, timeout)
        self.remote = final.one("to")
        if final.status < 300:
            self.route = list(reversed(final.headers.get("record-route", [])))
            self.target = re.search(r"<([^>]+)>", final.one("contact")).group(1)
            self._in_dialog("ACK", cseq=1)
        return final

    def _in_dialog(self, method: str, cseq: int | None = None) -> None:
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        headers = {"From": self.local, "To": self.remote, "Call-ID": self.call_id, "CSeq": f"{cseq} {method}"}
        if self.route:
            headers["Route"] = ", ".join(self.route)
        self.ua.request(method, self.target, headers)

    def hang_up(self) -> None:
        self._in_dialog("BYE")

    def hung_up(self) -> None:
        """Caller: the other side confirmed our BYE."""
        ok = self.ua.wait(lambda m: m.status and "BYE" in m.one("cseq"), 60.0)
        assert ok.status == 200, ok.first

    def acknowledged(self) -> None:
        """Callee: the caller's ACK of our 200 came through the proxy."""
        self.ua.wait(lambda m: m.method == "ACK" and m.one("call-id") == self.call_id)

    def answer_bye(self) -> None:
        bye = self.ua.wait(lambda m: m.method == "BYE", 60.0)
        self.ua.reply(bye, 200, "OK")


def _sdp(port: int) -> str:
    session = random.randint(1000, 9999)  # noqa: S311 - a test's session id
    return (
        f"v=0\r\no=- {session} {session} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        f"m=audio {port + 2} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
