"""An SMS backend that keeps texts in memory (tests read `outbox`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .transport import BaseSmsBackend


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    sender: str
    id: str


outbox: list[Sms] = []
_ids = itertools.count(1)


class LocmemBackend(BaseSmsBackend):
    def send(self, to: str, text: str, sender: str = "") -> str:
        sms = Sms(to, text, sender, f"locmem-{next(_ids)}")
        outbox.append(sms)
        return sms.id
