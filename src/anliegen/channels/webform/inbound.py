"""Receive a web form submission: store it as an Inbound in the FormSubmission shape, then process it at once."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

from anliegen.core.models import Brand
from anliegen.intake.accept import Accepted, accept
from anliegen.intake.pipeline import process_ids

from .parse import FormFile, FormSubmission

log = logging.getLogger(__name__)


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


def submit(brand: Brand, submission_id: str, raw: bytes, ip: str) -> Accepted:
    """Store the submission once (the form's nonce is its id) and run the pipeline so the confirmation exists now."""
    accepted = accept("webform", submission_id, raw, {"submission": submission_id, "ip": ip}, brand_id=brand.pk)
    process_now(accepted.inbound_id)
    return accepted


def process_now(inbound_id: int) -> None:
    # A failure here must not cost the customer their message: it is stored, and the worker retries it.
    try:
        process_ids([inbound_id])
    except Exception:  # noqa: BLE001 - the Inbound stays received; the page says so honestly
        log.exception("web form inbound %s could not be processed at once", inbound_id)
