"""A circuit breaker per outgoing relay: one relay that does not answer must not hold the whole queue.

A relay that accepts the connection and never greets costs the SMTP timeout once; without the breaker every
message of the queue would wait that long. After a failed connect or greeting the relay is left alone for
a cool-down (settings.SMTP_BREAKER_SECONDS, doubling while it keeps failing, at most ten times as long);
meanwhile messages fail at once and are retried on the usual schedule. The first message after the
cool-down tries again; a working connection closes the breaker. State is per process (each worker learns
on its own, at the cost of one timeout).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings


class RelayDown(ConnectionError):
    """The relay failed a moment ago; not tried again until its cool-down is over."""


_lock = threading.Lock()
_open: dict[str, tuple[float, float]] = {}  # relay -> (closed again at, monotonic; current cool-down, s)


def relay_of(connection: object) -> str:
    host = getattr(connection, "host", None)
    if host is None:
        return type(connection).__name__  # a backend with no relay (capture, locmem, console)
    return f"{host}:{getattr(connection, 'port', '')}"


def check(relay: str) -> None:
    with _lock:
        state = _open.get(relay)
    if state is not None and time.monotonic() < state[0]:
        wait = state[0] - time.monotonic()
        raise RelayDown(f"the mail relay {relay} failed a moment ago; trying it again in {wait:.0f} s")


def failed(relay: str) -> None:
    base = settings.SMTP_BREAKER_SECONDS
    with _lock:
        previous = _open.get(relay)
        cool = min(previous[1] * 2, base * 10) if previous is not None else base
        _open[relay] = (time.monotonic() + cool, cool)


def worked(relay: str) -> None:
    with _lock:
        _open.pop(relay, None)
