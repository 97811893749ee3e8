"""Writes what would be posted to the log (the default until a brand's API access is configured)."""

from __future__ import annotations

import logging
import uuid

from ..transport import BaseBackend, Outgoing

log = logging.getLogger("anliegen.social")


class ConsoleBackend(BaseBackend):
    def send(self, outgoing: Outgoing) -> str:
        reference = f"console-{uuid.uuid4().hex[:12]}"
        account = outgoing.account
        log.info(
            "%s %s from %s to %s (%s): %s",
            account.provider,
            outgoing.action,
            account.handle or account.account_id,
            outgoing.target,
            reference,
            outgoing.text,
        )
        return reference
