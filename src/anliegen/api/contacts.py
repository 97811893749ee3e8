"""API: contacts of the caller's brands and their identities (e-mail, phone, handles, app ids)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from anliegen.audit import services as audit
from anliegen.core.models import Contact, Identity, IdentityKind
from anliegen.core.services import contacts

from .conditional import check_match, conditional_read, with_etag
from .errors import responses
from .paging import PageQuery, page_of, paginate
from .schemas import ContactOut, ContactPatch, IdentityRow
from .scope import Principal, reader, writer

router = Router(tags=["contacts"])
ContactPage = page_of(ContactOut, "ContactPage")
IdentityPage = page_of(IdentityRow, "IdentityPage")


class ContactFilter(Schema):
    name: str | None = Field(None, max_length=160, description="part of the name")


class IdentityFilter(Schema):
    kind: IdentityKind | None = None
    value: str | None = Field(None, max_length=254, description="exact value (normalised like intake does)")


def _contacts(who: Principal) -> QuerySet[Contact]:
    return Contact.objects.filter(brand_id__in=who.brand_ids).prefetch_related(
        Prefetch("identities", queryset=Identity.objects.order_by("kind", "pk"))
    )


def _contact(who: Principal, contact_id: int) -> Contact:
    contact = _contacts(who).filter(pk=contact_id).first()
    if contact is None:
        raise HttpError(404, "no such contact")
    return contact


@router.get("/contacts", response=responses({200: ContactPage}))
def list_contacts(request: HttpRequest, filters: Query[ContactFilter], page: Query[PageQuery]) -> dict:
    qs = _contacts(reader(request))
    if filters.name:
        qs = qs.filter(name__icontains=filters.name)
    found = paginate(qs, page)
    _viewed(request, found["items"])
    return found


@router.get("/contacts/{contact_id}", response=responses({200: ContactOut, 304: None}))
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(reader(request), contact_id)
    _viewed(request, [contact])
    return conditional_read(request, ContactOut, contact)


def _viewed(request: HttpRequest, shown: list[Contact]) -> None:
    who = reader(request)
    via = f"api:{who.integration.name}"[:40] if who.integration else "api"
    audit.record_views(who.agent, list(shown), via=via)


@router.patch("/contacts/{contact_id}", response=responses({200: ContactOut}))
def update_contact(request: HttpRequest, contact_id: int, data: ContactPatch) -> HttpResponse:
    """Change the name or language; If-Match with the ETag you read refuses a lost update (412)."""
    who = writer(request)
    contact = _contact(who, contact_id)
    check_match(request, ContactOut, contact)
    contacts.do_update(contact, name=data.name, language=data.language)
    return with_etag(ContactOut, _contact(who, contact_id))


@router.get("/identities", response=responses({200: IdentityPage}), tags=["identities"])
def list_identities(request: HttpRequest, filters: Query[IdentityFilter], page: Query[PageQuery]) -> dict:
    """Find who is behind an address or number: ?kind=phone&value=+4940…"""
    who = reader(request)
    qs = Identity.objects.filter(brand_id__in=who.brand_ids)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.value:
        value = filters.value.strip()
        if filters.kind:
            try:
                value = contacts.normalise(filters.kind, value)
            except ValueError:
                return {"items": [], "next_cursor": None}  # no identity can have an invalid value
        qs = qs.filter(value=value)
    return paginate(qs, page)


@router.get("/identities/{identity_id}", response=responses({200: IdentityRow, 304: None}), tags=["identities"])
def identity_detail(request: HttpRequest, identity_id: int) -> HttpResponse:
    identity = Identity.objects.filter(pk=identity_id, brand_id__in=reader(request).brand_ids).first()
    if identity is None:
        raise HttpError(404, "no such identity")
    return conditional_read(request, IdentityRow, identity)


class IdentityIn(Schema):
    kind: IdentityKind
    value: str = Field(..., min_length=1, max_length=254)


@router.post("/contacts/{contact_id}/identities", response=responses({201: IdentityRow}), tags=["identities"])
def add_identity(request: HttpRequest, contact_id: int, data: IdentityIn) -> Status:
    """Add an address or number learned elsewhere; refused (400) when it is another contact's."""
    contact = _contact(writer(request), contact_id)
    return Status(201, contacts.check_add_identity(contact, data.kind, data.value))
