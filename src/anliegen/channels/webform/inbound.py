"""Receive a web form submission: store it as an Inbound in the FormSubmission shape, then process it at once."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from anliegen.core.models import Brand
from anliegen.intake.accept import Accepted, accept

from .parse import FormFile, FormSubmission

CHANNEL = "webform"


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


def payload(
    *,
    name: str,
    email: str,
    phone: str,
    subject: str,
    text: str,
    language: str,
    files: list[UploadedFile],
    case_link: str = "",
) -> bytes:
    """The raw bytes stored on the Inbound: exactly what parse.FormSubmission reads back."""
    submission = FormSubmission(
        name=name,
        email=email,
        phone=phone,
        subject=subject,
        text=text,
        language=language,
        case_link=case_link,
        files=[
            FormFile(filename=f.filename, content_type=f.content_type, data_b64=base64.b64encode(f.data).decode())
            for f in files
        ],
    )
    return submission.model_dump_json().encode()


def submit(brand: Brand, submission_id: str, raw: bytes, ip: str, quiet: str = "") -> Accepted:
    """Store the submission once (the form's nonce is its id); the spec is synchronous, so the confirmation exists
    when this returns. `quiet` says why no confirmation is to be mailed."""
    meta = {"submission": submission_id, "ip": ip} | ({"quiet": quiet} if quiet else {})
    return accept(CHANNEL, submission_id, raw, meta, brand_id=brand.pk)
