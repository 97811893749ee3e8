"""Turn a stored case-page reply (JSON) into a ParsedMessage tied to its case."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field

from anliegen.base.parsed import ParsedMessage


class PortalReply(BaseModel):
    case_id: int
    contact_identity: tuple[str, str]
    text: str = Field(min_length=1)


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    reply = PortalReply.model_validate(json.loads(raw))
    return ParsedMessage(
        identities=[reply.contact_identity],
        text=reply.text,
        case_id=reply.case_id,
        external_id=meta.get("submission", ""),
    )
