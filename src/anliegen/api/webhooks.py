"""API (admin scope): the brands' webhook endpoints, their delivery log, and sending an event again."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from anliegen.core.models import Brand
from anliegen.integrations import delivery, endpoints
from anliegen.integrations.models import Scope, WebhookDelivery, WebhookEndpoint

from .errors import responses
from .paging import PageQuery, page_of, paginate
from .scope import require

router = Router(tags=["webhooks"])


class EndpointIn(Schema):
    brand_id: int
    url: str = Field(..., max_length=500)
    events: list[str] = Field(default_factory=list, max_length=10, description="empty: every event")


class EndpointOut(Schema):
    id: int
    brand_id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(..., description="signs every delivery (Anliegen-Signature: t=…,v1=…); keep it")


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event_id: str
    event: str
    state: str
    attempts: int
    response_code: int | None
    error: str
    next_attempt_at: datetime | None
    replay_of_id: int | None
    created_at: datetime
    delivered_at: datetime | None


DeliveryPage = page_of(DeliveryOut, "DeliveryPage")


def _admin_brands(request: HttpRequest) -> list[int]:
    return require(request, Scope.ADMIN).admin_brand_ids


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    found = WebhookEndpoint.objects.filter(pk=endpoint_id, brand_id__in=_admin_brands(request)).first()
    if found is None:
        raise HttpError(404, "no such webhook endpoint")
    return found


@router.get("/webhooks", response=responses({200: list[EndpointOut]}))
def list_endpoints(request: HttpRequest) -> list:
    return list(WebhookEndpoint.objects.filter(brand_id__in=_admin_brands(request)).order_by("pk")[:200])


@router.post("/webhooks", response=responses({201: EndpointCreated}))
def create_endpoint(request: HttpRequest, data: EndpointIn) -> Status:
    """A new endpoint; the answer carries its signing secret."""
    brand = Brand.objects.filter(pk=data.brand_id, pk__in=_admin_brands(request)).first()
    if brand is None:
        raise HttpError(404, "no such brand")
    try:
        return Status(201, endpoints.check_create(brand, data.url, data.events))
    except endpoints.EndpointError as exc:
        raise HttpError(400, str(exc)) from exc


@router.delete("/webhooks/{endpoint_id}", response=responses({204: None}))
def delete_endpoint(request: HttpRequest, endpoint_id: int) -> Status:
    _endpoint(request, endpoint_id).delete()
    return Status(204, None)


@router.get("/webhooks/{endpoint_id}/deliveries", response=responses({200: DeliveryPage}))
def list_deliveries(request: HttpRequest, endpoint_id: int, page: Query[PageQuery]) -> dict:
    return paginate(WebhookDelivery.objects.filter(endpoint=_endpoint(request, endpoint_id)), page)


@router.post("/webhook-deliveries/{delivery_id}/replay", response=responses({201: DeliveryOut}))
def replay(request: HttpRequest, delivery_id: int) -> Status:
    found = WebhookDelivery.objects.filter(pk=delivery_id, brand_id__in=_admin_brands(request)).first()
    if found is None:
        raise HttpError(404, "no such delivery")
    return Status(201, delivery.replay(found))
