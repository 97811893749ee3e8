"""The API's request and response shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from anliegen.core.models import CaseState


def _in_utc(value: datetime) -> datetime:
    # Any offset Python takes (up to ±24 h) is not one the database takes (±15:59): the time goes in as UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("the time lies outside the years 1 to 9999 in UTC") from exc


# A point in time from the caller, with or without an offset (none: UTC).
Moment = Annotated[datetime, AfterValidator(_in_utc)]


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    verified: bool


class PromiseOut(Schema):
    id: int
    case_id: int
    kind: str
    state: str
    amount_cents: int | None
    currency: str
    text: str
    due_at: datetime
    window_end: datetime | None
    owner_id: int
    created_by_id: int | None
    evidence: str
    reason: str
    closed_at: datetime | None


class PromiseIn(Schema):
    kind: str
    due_at: Moment
    amount_cents: int | None = None
    text: str = Field("", max_length=300)
    window_end: Moment | None = None
    currency: str = "EUR"
    owner_id: int | None = None


class EscalationOut(Schema):
    id: int
    case_id: int
    from_agent_id: int
    to_agent_id: int
    to_agent_name: str = Field(..., alias="to_agent.name")
    need: dict
    note: str
    state: str
    resolution: str
    created_at: datetime
    resolved_at: datetime | None


class EscalationIn(Schema):
    need: dict
    note: str = Field(..., max_length=4000)


class CaseOut(Schema):
    id: int
    brand_id: int
    subject: str
    state: str
    language: str
    preferred_channel: str
    owner_id: int
    owner_name: str = Field(..., alias="owner.name")
    contact_id: int
    needs: dict
    created_at: datetime
    updated_at: datetime
    answer_due_at: datetime | None


class CaseDetail(CaseOut):
    contact_name: str = Field(..., alias="contact.name")
    identities: list[IdentityOut]
    promises: list[PromiseOut]
    escalations: list[EscalationOut]
    message_count: int = 0


class TextIn(Schema):
    text: str = Field("", max_length=300)


class ResolveIn(Schema):
    resolution: str = Field(..., max_length=4000)


class ProposalOut(Schema):
    id: int
    brand_id: int
    contact_id: int
    other_id: int
    evidence: list
    state: str
    created_at: datetime


class CasePatch(Schema):
    """Only the fields sent are changed."""

    state: CaseState | None = None
    subject: str | None = Field(None, min_length=1, max_length=250)


class MessageOut(Schema):
    id: int
    case_id: int
    channel: str
    direction: str
    kind: str
    subject: str
    body_text: str
    address: str
    author_agent_id: int | None
    delivery: str
    created_at: datetime


class MessageIn(Schema):
    kind: Literal["note", "reply"] = Field(..., description="note: internal; reply: sent on the customer's channel")
    text: str = Field(..., min_length=1, max_length=20000)


class ContactOut(Schema):
    id: int
    brand_id: int
    name: str
    language: str
    merged_into_id: int | None
    created_at: datetime
    identities: list[IdentityOut]


class ContactPatch(Schema):
    name: str | None = Field(None, max_length=160)
    language: Literal["de", "en"] | None = None


class IdentityRow(IdentityOut):
    contact_id: int
    brand_id: int
    undeliverable: bool
    created_at: datetime


class IncidentOut(Schema):
    id: int
    brand_id: int
    title: str
    title_en: str
    description: str
    description_en: str
    product: str
    regions: list
    state: str
    public: bool
    starts_at: datetime
    ends_at: datetime | None
    resolved_at: datetime | None


class AgentOut(Schema):
    id: int
    name: str
    extension: str
    languages: list
    skills: list
    presence: str
    on_leave: bool
    deputy_id: int | None


class SearchHitOut(Schema):
    case_id: int
    subject: str
    state: str
    owner: str
    brand: str
    contact: str
    updated_at: datetime
    source: str
    snippet: str
    score: float


class ErasedOut(Schema):
    """What an erasure changed (rows anonymised or removed)."""

    contacts: int
    identities: int
    cases: int
    messages: int
    attachments: int
    inbounds: int
    mails: int
