"""API: a contact's personal data exported as a ZIP (supervisors) or erased (admins; tokens: the admin scope)."""

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
from .scope import Principal, principal, reader, require

router = Router(tags=["privacy"])
ZIP = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}


def _contact_for(request: HttpRequest, contact_id: int, erase: bool) -> tuple[Principal, Contact]:
    """The contact, if the caller may export it (a supervisor of its brand) or erase it (an admin); tokens need
    the admin scope for both."""
    # Another brand's contact is a 404 like a missing one, before anything says which role would be needed.
    contact = Contact.objects.filter(pk=contact_id, brand_id__in=reader(request).brand_ids).first()
    if contact is None:
        raise HttpError(404, "no such contact")
    who = principal(request)
    if who.integration is not None:
        require(request, Scope.ADMIN)
    allowed = who.admin_brand_ids if erase else who.supervisor_brand_ids
    if contact.brand_id not in allowed:
        raise HttpError(403, f"only {'an admin' if erase else 'a supervisor'} of the contact's brand does this")
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
    who, contact = _contact_for(request, contact_id, erase=False)
    response = HttpResponse(export.export_contact(contact, who.agent, _via(who)), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.zip"'
    return response


@router.post("/contacts/{contact_id}/erase", response=responses({200: ErasedOut}))
def erase_contact(request: HttpRequest, contact_id: int) -> dict:
    """Anonymise the contact's cases, messages and identities and erase their raw payloads; audited."""
    who, contact = _contact_for(request, contact_id, erase=True)
    return asdict(erasure.erase_contact(contact, who.agent, _via(who)))
