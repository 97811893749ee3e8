"""Turn a stored form submission (JSON) into a ParsedMessage."""

from __future__ import annotations

import base64
import json

from django.core import signing
from pydantic import BaseModel, Field

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.core.header_safe import one_line


class FormFile(BaseModel):
    filename: str
    content_type: str = "application/octet-stream"
    data_b64: str


class FormSubmission(BaseModel):
    """The exact shape the form view stores as the Inbound's raw payload."""

    name: str = ""
    email: str = ""
    phone: str = ""
    subject: str = ""
    text: str = Field(min_length=1)
    language: str = ""
    files: list[FormFile] = Field(default_factory=list)
    # The signed case link the form was opened with, checked by the view before it was stored.
    case_link: str = ""


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    form = FormSubmission.model_validate(json.loads(raw))
    # Cleaned here too, not only in the form: a submission stored before the form cleaned it is reprocessed.
    form.subject, form.name = one_line(form.subject), one_line(form.name)
    identities = [(k, v) for k, v in (("email", form.email), ("phone", form.phone)) if v]
    return ParsedMessage(
        sender_name=form.name,
        identities=identities,
        subject=form.subject,
        text=form.text,
        language=form.language if form.language in ("de", "en") else "",
        attachments=[ParsedAttachment(f.filename, f.content_type, base64.b64decode(f.data_b64)) for f in form.files],
        external_id=meta.get("submission", ""),
        case_id=_linked_case(form.case_link),
    )


def _linked_case(link: str) -> int | None:
    """The case a signed link names; the signature is checked again, so nothing unsigned can name a case."""
    if not link:
        return None
    from anliegen.core.case_links import SALT

    try:
        case_id = signing.loads(link, salt=SALT).get("c")
    except (signing.BadSignature, AttributeError):
        return None
    return case_id if isinstance(case_id, int) else None
