"""An SMS backend that prints texts to the console (the embedded default without a provider)."""

from __future__ import annotations

import sys
import uuid
from typing import TextIO

from .transport import BaseSmsBackend


class ConsoleBackend(BaseSmsBackend):
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, to: str, text: str, sender: str = "") -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        self.stream.write(f"SMS to {to} from {sender or '-'} ({message_id}):\n{text}\n{'-' * 40}\n")
        self.stream.flush()
        return message_id
