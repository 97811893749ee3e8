"""API: a contact's personal data exported as a ZIP, or erased; for admins (the admin scope) of its brand."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from anliegen.core.models import Contact
from anliegen.integrations.models import Scope
from anliegen.privacy import erasure, export

from .errors import responses
from .schemas import ErasedOut
from .scope import Principal, reader, require

router = Router(tags=["privacy"])
ZIP = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}


def _admin_contact(request: HttpRequest, contact_id: int) -> tuple[Principal, Contact]:
    # Another brand's contact is a 404 like a missing one, before anything says which role would be needed.
    contact = Contact.objects.filter(pk=contact_id, brand_id__in=reader(request).brand_ids).first()
    if contact is None:
        raise HttpError(404, "no such contact")
    who = require(request, Scope.ADMIN)
    if contact.brand_id not in who.admin_brand_ids:
        raise HttpError(403, "only an admin of the contact's brand does this")
    return who, contact


def _via(who: Principal) -> str:
    return f"api:{who.integration.name}"[:40] if who.integration else "api"


@router.get(
    "/contacts/{contact_id}/export",
    response=responses({200: None}),
    openapi_extra={"responses": {200: {"description": "data.json and attachments/", "content": ZIP}}},
)
def export_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Everything about one contact as a ZIP (data.json and the attachments); the export is audited."""
    who, contact = _admin_contact(request, contact_id)
    response = HttpResponse(export.export_contact(contact, who.agent, _via(who)), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.zip"'
    return response


@router.post("/contacts/{contact_id}/erase", response=responses({200: ErasedOut}))
def erase_contact(request: HttpRequest, contact_id: int) -> dict:
    """Anonymise the contact's cases, messages and identities and erase their raw payloads; audited."""
    who, contact = _admin_contact(request, contact_id)
    return asdict(erasure.erase_contact(contact, who.agent, _via(who)))
