"""Deliver an agent's answer to an in-app report: the app polls for it, or it goes by e-mail when asked."""

from __future__ import annotations

from anliegen.channels import registry
from anliegen.core.models import Message
from anliegen.core.services import contacts

from .models import Report


def send(message: Message) -> None:
    """Poll: the answer is there for the app's next poll, nothing to push. E-mail: sent as the mail it becomes."""
    report = Report.objects.filter(case_id=message.case_id).order_by("-id").first()
    if report is None or report.answer_via != "email":
        return
    identity = contacts.primary(message.case.contact, "email")
    if identity is None:
        return  # asked for e-mail but gave no address: the poll still shows it
    Message.objects.filter(pk=message.pk).update(channel="email", address=identity.value)
    message.channel, message.address = "email", identity.value
    registry.sender("email")(message)
