"""A Django mail backend that keeps every outgoing mail in the database, for the desk's outbox page."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class CaptureBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list) -> int:
        from .models import CapturedMail

        rows = []
        for message in email_messages:
            mime = message.message()
            rows.append(
                CapturedMail(
                    sender=message.from_email,
                    recipients=", ".join(message.recipients()),
                    subject=str(mime["Subject"] or "")[:500],
                    message_id=str(mime["Message-ID"] or "")[:250],
                    raw=mime.as_bytes(linesep="\r\n"),
                )
            )
        CapturedMail.objects.bulk_create(rows)
        return len(rows)
