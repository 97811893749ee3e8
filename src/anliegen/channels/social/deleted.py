"""A public post its author deleted: its text leaves the case too (the author took it back from the public)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from anliegen.core.models import CaseEvent, Direction, Message


@transaction.atomic
def forget(brand_id: int, channel: str, external_id: str) -> str:
    """Blank the stored post and its attachments; the case keeps a line saying why. Returns what happened."""
    message = Message.objects.filter(
        brand_id=brand_id, channel=channel, direction=Direction.IN, external_id=external_id
    ).first()
    if message is None:
        return f"no post {external_id} stored"
    note = f"the author deleted public post {external_id}; its text was removed"
    if CaseEvent.objects.filter(case_id=message.case_id, kind=CaseEvent.Kind.NOTE, text=note).exists():
        return f"post {external_id} forgotten before"
    for attachment in message.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()
    Message.objects.filter(pk=message.pk).update(body_text=_("(deleted by its author)"), body_html="")
    CaseEvent.objects.create(
        case_id=message.case_id,
        kind=CaseEvent.Kind.NOTE,
        text=note,
    )
    return f"post {external_id} forgotten"
