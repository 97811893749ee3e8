"""Receive a reply typed on the customer's case page: store it as an Inbound tied to its case, then process it."""

from __future__ import annotations

from anliegen.channels import registry
from anliegen.core.models import Case, Identity, IdentityKind
from anliegen.intake.accept import Accepted, accept

from .parse import PortalReply

CHANNEL = registry.CASE_PAGE


class NoIdentity(LookupError):
    """The case's contact has no identity left to file the reply under."""


def identity_of(case: Case) -> tuple[str, str]:
    identities = list(Identity.objects.filter(contact_id=case.contact_id).order_by("-verified", "created_at"))
    # The identity the reply is filed under: the one the customer is best reached on.
    for kind in registry.identity_order(IdentityKind.values):
        for identity in identities:
            if identity.kind == kind:
                return identity.kind, identity.value
    raise NoIdentity(f"contact {case.contact_id} has no identity")


def submit_reply(case: Case, submission_id: str, text: str, ip: str = "") -> Accepted:
    reply = PortalReply(case_id=case.pk, contact_identity=identity_of(case), text=text)
    raw = reply.model_dump_json().encode()
    # The spec is synchronous: the reply is on the case page when this returns.
    return accept(CHANNEL, submission_id, raw, {"submission": submission_id, "ip": ip}, brand_id=case.brand_id)
