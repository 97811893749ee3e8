"""The demo installation: a brand with three agents, an active incident and realistic cases in German and English.

Cases come in through the real intake path (accept + pipeline), so owners, confirmations, threading and
incident links are what a real customer would get. Every item has a fixed external id: loading twice
changes nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from anliegen.core.models import Agent, Brand, Case, Direction, Incident, MessageKind
from anliegen.core.setup import create_agent, create_brand
from anliegen.intake.accept import Accepted, accept
from anliegen.intake.models import Inbound
from anliegen.intake.pipeline import process_ids

from .demo_data.cases import AGENTS, BRAND, CASES, INCIDENT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    name: str
    role: str


@transaction.atomic
def ensure_brand() -> tuple[Brand, list[Login]]:
    """Create the demo brand with its agents the first time; return the brand and the demo logins that work.

    Agents are made only together with the brand, so a demo login someone deleted stays deleted. The demo
    admin (a superuser whose password is printed) is never made in scale-out (REDIS_URL set): that is a shared
    installation, whose first admin comes from `anliegen setup` or `createsuperuser`.
    """
    brand = Brand.objects.filter(slug=BRAND["slug"]).first()
    if brand is None:
        fields = {k: v for k, v in BRAND.items() if k not in ("slug", "name", "mail_domain")}
        brand = create_brand(BRAND["slug"], BRAND["name"], BRAND["mail_domain"], **fields)
        _create_agents(brand)
    return brand, demo_logins(brand)


def _create_agents(brand: Brand) -> None:
    users = get_user_model().objects
    for spec in AGENTS:
        if spec.get("staff") and settings.REDIS_URL:
            continue
        if users.filter(username=spec["username"]).exists():
            continue  # the name is taken by someone who is not a demo agent: leave them alone
        create_agent(
            brand,
            spec["username"],
            spec["name"],
            spec["password"],
            role=spec["role"],
            languages=spec["languages"],
            extension=spec["extension"],
            authority=spec["authority"],
            skills=spec["skills"],
            staff=spec.get("staff", False),
        )
    brand.default_owner = Agent.objects.filter(user__username=AGENTS[0]["username"]).first()
    brand.save(update_fields=["default_owner"])


def demo_logins(brand: Brand) -> list[Login]:
    """The demo agents of `brand` that still sign in with their demo password (a changed one is not printed)."""
    logins = []
    for spec in AGENTS:
        user = (
            get_user_model()
            .objects.filter(username=spec["username"], agent__memberships__brand=brand, is_active=True)
            .first()
        )
        if user is None or not user.check_password(spec["password"]):
            continue
        role = "admin (/admin/)" if user.is_staff else spec["role"]
        logins.append(Login(spec["username"], spec["password"], spec["name"], role))
    return logins


def ensure_incident(brand: Brand) -> Incident:
    incident = Incident.objects.filter(brand=brand, title=INCIDENT["title"]).first()
    if incident is None:
        from anliegen.selfservice.services.incidents import do_open

        fields = {k: v for k, v in INCIDENT.items() if k != "regions"}
        incident = do_open(
            brand, None, areas=INCIDENT["regions"], starts_at=timezone.now() - timedelta(hours=1), **fields
        )
    return incident


def load_cases(brand: Brand) -> int:
    """Bring in every demo case that is not there yet; return how many new cases arrived."""
    from anliegen.selfservice import demo as selfservice_demo

    ensure_incident(brand)
    selfservice_demo.load(brand)  # help articles and the status page's history
    created = 0
    for spec in CASES:
        accepted = _arrive(brand, spec, spec["id"], spec["subject"], spec["text"], to=brand.support_address)
        if not accepted.duplicate:
            created += 1
    for spec in CASES:
        case = case_for(spec["id"], spec["channel"])
        if case is None:
            log.warning("demo case %s was not created; see the intake status", spec["id"])
            continue
        for followup in spec.get("followups", []):
            to = case.owner.reply_address(brand, case.reply_token)
            subject = f"Re: {spec['subject']}"
            _arrive(brand, {**spec, "channel": "email"}, followup["id"], subject, followup["text"], to, spec["id"])
        if spec.get("reply"):
            _owner_replies(case, spec["reply"])
    from anliegen.channels.phone.demo import load_calls

    load_calls(brand)  # a recorded call on a case, and a missed one to call back
    from anliegen.channels.whatsapp.demo import load_conversation

    load_conversation(brand)  # a WhatsApp conversation answered, and one past the 24 hours
    from anliegen.channels.social.demo import load_posts

    load_posts(brand)  # public posts on X and the Facebook page: an outage report, personal data masked
    from anliegen.reports.demo import load as load_history

    load_history(brand)  # service-level targets and a month of handled cases for the reports
    from .demo_workday import load as load_workday

    load_workday(brand)  # text blocks, tags on a few cases, two saved views
    return created


def case_for(external_id: str, channel: str) -> Case | None:
    inbound = Inbound.objects.filter(channel=channel, external_id=external_id).select_related("case").first()
    return inbound.case if inbound is not None else None


def _arrive(brand: Brand, spec: dict, external_id: str, subject: str, text: str, to: str, parent: str = "") -> Accepted:
    if spec["channel"] == "email":
        raw = _mail(spec, external_id, subject, text, to, parent)
        accepted = accept("email", external_id, raw, {"rcpt_tos": [to], "demo": True})
    else:
        fields = ("name", "email", "phone", "language")
        raw = json.dumps({**{k: spec.get(k, "") for k in fields}, "subject": subject, "text": text}).encode()
        accepted = accept("webform", external_id, raw, {"submission": external_id, "demo": True}, brand_id=brand.pk)
    if not accepted.duplicate:
        process_ids([accepted.inbound_id])  # a no-op when intake runs eagerly
    return accepted


def _mail(spec: dict, external_id: str, subject: str, text: str, to: str, parent: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = formataddr((spec["name"], spec["email"]))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = f"<{external_id}>"
    if parent:
        msg["In-Reply-To"] = f"<{parent}>"
        msg["References"] = f"<{parent}>"
    msg.set_content(text)
    return msg.as_bytes()


def _owner_replies(case: Case, text: str) -> None:
    from anliegen.core.services.cases import do_reply

    answered = case.messages.filter(direction=Direction.OUT, kind=MessageKind.MESSAGE).exists()
    if not answered:
        do_reply(case, case.owner, text)


def form_path(brand: Brand) -> str:
    """The public contact form of the brand (whatever the portal names it), else the start page."""
    for name, kwargs in (
        ("portal:form", {"brand": brand.slug}),
        ("portal:form", {"slug": brand.slug}),
        ("portal:form", {"brand_slug": brand.slug}),
        ("webform:form", {"brand": brand.slug}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return "/"


def database_label() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
