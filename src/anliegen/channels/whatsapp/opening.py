"""Writing first on WhatsApp: the wa.me link the customer starts a chat with, a template outside the 24 hours."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anliegen.core.models import Agent, Brand, Case, Message
from anliegen.core.services.cases import CaseError

from . import templates, window
from .models import BusinessNumber


def start_link(brand: Brand) -> str:
    number = BusinessNumber.objects.filter(brand_id=brand.pk).order_by("id").first()
    return f"https://wa.me/{number.display_number.lstrip('+')}" if number else ""


def opener(case: Case, agent: Agent, text: str, address: str) -> Message | None:
    """Outside the 24 hours Meta carries only an approved template: the brand's first, in the case's language."""
    if not address or not window.refusal(case, address):
        return None
    offered = templates.offered(case)
    if not offered:
        raise CaseError(_("This brand has no approved WhatsApp template to open the conversation with."))
    return templates.send_template(case, agent, offered[0], templates.suggested(case, offered[0]))
