"""Sending an approved template (the only message WhatsApp carries after the customer's 24 hours)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from anliegen.core.models import Agent, Case, Message, MessageKind
from anliegen.core.services import contacts, outbound
from anliegen.core.services.cases import CaseError

from .models import Template, TemplateSend

PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def placeholders(template: Template) -> int:
    return max((int(n) for n in PLACEHOLDER.findall(template.body)), default=0)


def offered(case: Case) -> list[Template]:
    """The brand's approved templates, the case's language first."""
    language = (case.language or case.brand.default_language)[:2]
    found = list(Template.objects.filter(brand_id=case.brand_id, approved=True).order_by("name", "language"))
    return sorted(found, key=lambda t: not t.language.startswith(language))


def suggested(case: Case, template: Template) -> list[str]:
    """What the desk fills in first: the customer's name, the owner's, the case's subject (the agent may change)."""
    known = [case.contact.name, case.owner.name, case.subject]
    return [known[i] if i < len(known) else "" for i in range(placeholders(template))]


def render(template: Template, parameters: list[str]) -> str:
    return PLACEHOLDER.sub(lambda m: _value(parameters, int(m.group(1))), template.body)


def _value(parameters: list[str], n: int) -> str:
    return parameters[n - 1] if 0 < n <= len(parameters) else ""


@transaction.atomic
def send_template(case: Case, agent: Agent, template: Template, parameters: list[str]) -> Message:
    if template.brand_id != case.brand_id or not template.approved:
        raise CaseError(_("That template is not approved for this brand."))
    if len(parameters) != placeholders(template) or any(not p.strip() for p in parameters):
        raise CaseError(_("Every placeholder of the template needs a value."))
    identity = contacts.primary(case.contact, "whatsapp")
    if identity is None:
        raise CaseError(_("The customer has no WhatsApp number."))
    message = outbound.new_message(
        case,
        channel="whatsapp",
        address=identity.value,
        author=agent,
        kind=MessageKind.MESSAGE,
        subject=case.subject,
        text=render(template, parameters),
    )
    TemplateSend.objects.create(message=message, template=template, parameters=[p.strip() for p in parameters])
    return message
