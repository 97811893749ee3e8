"""Tell an in-process intake worker that there is work; workers elsewhere find it by polling."""

import threading

_event = threading.Event()


def wake() -> None:
    _event.set()


def wait(timeout: float) -> bool:
    woken = _event.wait(timeout)
    _event.clear()
    return woken
