"""`anliegen mailgate`: store one raw message from standard input, as an MTA's pipe transport delivers it.

Exit status follows sysexits(3): 0 only after the message is committed, 75 (EX_TEMPFAIL) when it could
not be stored so the MTA keeps it and retries, 65 (EX_DATAERR) when the input is no message at all.
"""

from __future__ import annotations

import logging
import os
import sys

from django.core.management.base import BaseCommand, CommandParser

log = logging.getLogger(__name__)
EX_OK, EX_DATAERR, EX_TEMPFAIL = 0, 65, 75


class Command(BaseCommand):
    help = "Store one raw e-mail read from standard input (Postfix pipe, procmail, fetchmail MDA)."
    # The checks add start-up time to every delivery and an error there must still end in 75, not 1.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient", action="append", default=[], help="envelope recipient (Postfix: ${recipient}); repeatable"
        )
        parser.add_argument("--sender", default="", help="envelope sender (Postfix: ${sender})")
        parser.add_argument("--brand", default="", help="brand slug when the recipient does not name one")

    def handle(self, *args: object, **options: object) -> None:
        raw = sys.stdin.buffer.read()
        sys.exit(deliver(raw, list(options["recipient"]), str(options["sender"]), str(options["brand"]), self.stderr))


def deliver(raw: bytes, recipients: list[str], sender: str, brand_slug: str, err: object = sys.stderr) -> int:
    """Store the message; return the sysexits code the MTA should see."""
    if not raw.strip():
        err.write("mailgate: empty input, no message to store\n")
        return EX_DATAERR
    if b":" not in raw[:4096]:
        err.write("mailgate: input has no mail headers, not an RFC 5322 message\n")
        return EX_DATAERR
    recipients = recipients or [r for r in os.environ.get("ORIGINAL_RECIPIENT", "").split(",") if r]
    try:
        from anliegen.core.models import Brand

        from ...inbound import BrandDomains, items_for, store

        if brand_slug:
            brand_id = Brand.objects.filter(slug=brand_slug).values_list("id", flat=True).first()
            if brand_id is None:
                err.write(f"mailgate: no brand {brand_slug!r}\n")
                return EX_TEMPFAIL  # a configuration error: keep the mail queued until it is fixed
            brand_ids = [brand_id] * max(len(recipients), 1)
            recipients = recipients or [""]
        else:
            domains = BrandDomains()
            brand_ids = [domains.brand_id(r) for r in recipients]
        accepted = store(items_for(raw, recipients, brand_ids, mail_from=sender, peer="mailgate"))
    except Exception as exc:  # noqa: BLE001 - whatever failed, the MTA must keep the message and retry
        log.warning("mailgate could not store the message: %s", exc)
        err.write(f"mailgate: temporary failure, message not stored: {type(exc).__name__}: {exc}\n")
        return EX_TEMPFAIL
    ids = ",".join(str(a.inbound_id) for a in accepted)
    err.write(f"mailgate: stored as {ids}{' (duplicate)' if all(a.duplicate for a in accepted) else ''}\n")
    return EX_OK
