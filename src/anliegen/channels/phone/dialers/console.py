"""A dialer that prints dial requests (the embedded default: the agent dials by hand from the tel: link)."""

from __future__ import annotations

import sys
import uuid

from . import BaseDialer


class ConsoleDialer(BaseDialer):
    def dial(self, *, extension: str, number: str, reference: str) -> str:
        request_id = f"console-{uuid.uuid4().hex[:12]}"
        sys.stdout.write(f"Dial request {request_id}: extension {extension} -> {number} ({reference})\n")
        sys.stdout.flush()
        return request_id
