"""The API's request and response shapes."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class Problem(Schema):
    detail: str


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
    due_at: datetime
    amount_cents: int | None = None
    text: str = Field("", max_length=300)
    window_end: datetime | None = None
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
