"""A contact's personal data as one ZIP: data.json (contact, identities, cases with their messages and promises)
and every attachment of those messages under attachments/<message id>/."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from anliegen.audit import services as audit
from anliegen.core.models import Agent, Attachment, Case, Contact, Direction, Message
from anliegen.promises.models import Promise


def _message(message: Message, files: dict[int, list[str]]) -> dict:
    return {
        "id": message.pk,
        "created_at": message.created_at,
        "channel": message.channel,
        "direction": message.direction,
        "kind": message.kind,
        "author": message.author_agent.name if message.author_agent else None,
        "address": message.address,
        "subject": message.subject,
        "text": message.body_text,
        "html": message.body_html,
        "attachments": files.get(message.pk, []),
    }


def _promise(promise: Promise) -> dict:
    fields = ("id", "kind", "state", "text", "amount_cents", "currency", "due_at", "closed_at", "evidence")
    return {name: getattr(promise, "pk" if name == "id" else name) for name in fields}


def contact_data(contact: Contact, files: dict[int, list[str]]) -> dict:
    cases = Case.objects.filter(contact=contact).order_by("created_at", "pk")
    # Internal notes are the team's working notes, not what the customer sent or was sent: left out.
    messages = Message.objects.filter(case__contact=contact).exclude(direction=Direction.INTERNAL)
    by_case: dict[int, list[dict]] = {}
    for message in messages.select_related("author_agent").order_by("created_at", "pk"):
        by_case.setdefault(message.case_id, []).append(_message(message, files))
    promises: dict[int, list[dict]] = {}
    for promise in Promise.objects.filter(case__contact=contact).order_by("pk"):
        promises.setdefault(promise.case_id, []).append(_promise(promise))
    return {
        "exported_at": timezone.now(),
        "brand": contact.brand.name,
        "contact": {"id": contact.pk, "name": contact.name, "language": contact.language, "since": contact.created_at},
        "identities": [
            {"kind": i.kind, "value": i.value, "verified": i.verified, "since": i.created_at}
            for i in contact.identities.order_by("kind", "pk")
        ],
        "cases": [
            {
                "id": case.pk,
                "subject": case.subject,
                "state": case.state,
                "language": case.language,
                "created_at": case.created_at,
                "updated_at": case.updated_at,
                "owner": case.owner.name,
                "messages": by_case.get(case.pk, []),
                "promises": promises.get(case.pk, []),
            }
            for case in cases.select_related("owner")
        ],
    }


@transaction.atomic
def export_contact(contact: Contact, actor: Agent | None, via: str) -> bytes:
    """The ZIP's bytes; the export is audited (who, which contact, how many files) before it is handed out."""
    attachments = Attachment.objects.filter(message__case__contact=contact).exclude(
        message__direction=Direction.INTERNAL
    )
    buffer = io.BytesIO()
    files: dict[int, list[str]] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for attachment in attachments.order_by("pk"):
            name = f"attachments/{attachment.message_id}/{attachment.pk}-{_safe(attachment.filename)}"
            try:
                with attachment.file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except (FileNotFoundError, ValueError):
                continue  # a file lost from storage: the JSON then names no file for it
            files.setdefault(attachment.message_id, []).append(name)
        data = contact_data(contact, files)
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    count = sum(len(names) for names in files.values())
    audit.record(actor, audit.Action.CONTACT_EXPORT, contact, {"cases": len(data["cases"]), "files": count}, via=via)
    return buffer.getvalue()


def _safe(filename: str) -> str:
    """A file name that stays inside its folder of the ZIP."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip(". ") or "file"
    return name[:120]
