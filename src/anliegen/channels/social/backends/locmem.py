"""Keeps what would be posted in memory (tests read `outbox`); ids count up like a provider's."""

from __future__ import annotations

import itertools

from ..transport import BaseBackend, Outgoing

outbox: list[Outgoing] = []
_ids = itertools.count(1)


class LocmemBackend(BaseBackend):
    def send(self, outgoing: Outgoing) -> str:
        outbox.append(outgoing)
        return f"locmem-{next(_ids)}"
