"""Proving a new identity belongs to a contact (one-time codes), and the rule of what may be disclosed."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anliegen.channels import registry
from anliegen.core.models import Agent, Case, CaseEvent, Contact, Identity, IdentityKind, VerificationCode

log = logging.getLogger(__name__)
# Identity kinds a code can be sent to, and how.
CODE_KINDS = (IdentityKind.EMAIL, IdentityKind.PHONE)


class VerificationError(ValueError):
    """The code cannot be sent or is not accepted; the message says why."""


def may_disclose(subject: Case | Contact, channel: str, identity: Identity | None, public: bool = False) -> bool:
    """Personal data (address, contract, invoices, references) may go out only privately to a verified identity.

    `identity` is the one the content reaches: the reply address, or the address a case link was sent to.
    """
    contact_id = subject.contact_id if isinstance(subject, Case) else subject.pk
    spec = registry.find(channel)
    if public or spec is None or spec.public:
        return False  # a channel not known is treated as public: nothing is disclosed on it
    return identity is not None and identity.verified and identity.contact_id == contact_id


def identity_for(contact: Contact, channel: str, address: str) -> Identity | None:
    """The contact's identity behind a reply target (channel, address)."""
    kind = registry.identity_kind(channel)
    if not address or kind not in IdentityKind.values:
        return None
    return contact.identities.filter(kind=kind, value=address).first()


def _hash(code_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"anliegen.verification:{code_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_targets(identity: Identity) -> list[Identity]:
    """Verified identities of the same contact a code can reach (SMS only where a transport is configured)."""
    from anliegen.base.sms import transport

    kinds = [IdentityKind.EMAIL] + ([IdentityKind.PHONE] if transport.configured() else [])
    known = identity.contact.identities.filter(undeliverable=False)
    targets = list(known.filter(verified=True, kind__in=kinds).exclude(pk=identity.pk).order_by("kind", "pk"))
    if targets or identity.kind not in kinds or identity.undeliverable:
        return targets
    # Nothing verified yet: the identity the contact was created with may prove itself by a code to it.
    # A later one cannot, or a stranger who typed the customer's number beside their own address could.
    first = identity.contact.identities.order_by("created_at", "pk").first()
    return [identity] if first is not None and first.pk == identity.pk else []


@transaction.atomic
def check_send_code(
    identity: Identity, via: Identity | None = None, case: Case | None = None, actor: Agent | None = None
) -> VerificationCode:
    """Send a fresh code for `identity` to a verified identity of the same contact (after commit)."""
    if identity.verified:
        raise VerificationError(_("this identity is already verified"))
    targets = code_targets(identity)
    if via is None:
        if not targets:
            raise VerificationError(_("the contact has no verified e-mail address or phone number to send a code to"))
        via = targets[0]
    elif via.pk not in {t.pk for t in targets}:
        raise VerificationError(
            _("a code can only be sent to a verified e-mail address or phone number of the contact")
        )
    return _issue(identity, via, case, actor)


@transaction.atomic
def send_code_to(identity: Identity, case: Case | None = None) -> VerificationCode:
    """A code to the address itself: whoever enters it controls the address (a continuation from a public post).

    Also for an address verified before: that proves the address, not that the person asking holds it now.
    """
    from anliegen.base.sms import transport

    kinds = [IdentityKind.EMAIL] + ([IdentityKind.PHONE] if transport.configured() else [])
    if identity.kind not in kinds or identity.undeliverable:
        raise VerificationError(_("a code can only be sent to an e-mail address or a mobile number"))
    return _issue(identity, identity, case, None)


def _issue(identity: Identity, via: Identity, case: Case | None, actor: Agent | None) -> VerificationCode:
    # A new code replaces every older one: only the latest may be entered.
    identity.verification_codes.filter(used_at__isnull=True).update(expires_at=timezone.now())
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = settings.VERIFICATION_CODE_MINUTES
    record = VerificationCode.objects.create(
        identity=identity, sent_to=via, code_hash="", expires_at=timezone.now() + timedelta(minutes=minutes)
    )
    record.code_hash = _hash(record.pk, code)
    record.save(update_fields=["code_hash"])
    if case is not None:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.IDENTITY,
            actor=actor,
            text=f"verification code for {identity} sent to {via}",
            data={"identity": identity.pk, "sent_to": via.pk},
        )
    brand, language = identity.brand, identity.contact.language or identity.brand.default_language
    # The plain code exists only in this closure: it is never written to the database.
    transaction.on_commit(lambda: _deliver(via, code, minutes, brand, language))
    return record


def _deliver(via: Identity, code: str, minutes: int, brand: object, language: str) -> None:
    context = {"code": code, "minutes": minutes, "brand": brand}
    with translation.override(language):
        text = render_to_string("confirmations/verification_code.txt", context).strip() + "\n"
        subject = _("Your confirmation code for %(brand)s") % {"brand": brand.name}
    if via.kind == IdentityKind.PHONE:
        from anliegen.base.sms import transport

        transport.get_backend().send(via.value, text, sender=brand.name[:11])
        return
    mail = EmailMessage(subject, text, brand.support_address, [via.value], headers={"Auto-Submitted": "auto-generated"})
    with get_connection() as connection:
        connection.send_messages([mail])


def check_code(identity: Identity, code: str, actor: Agent | None = None, case: Case | None = None) -> Identity:
    """Accept the latest code for `identity`: it becomes verified. Wrong, expired or exhausted codes raise."""
    record = identity.verification_codes.filter(used_at__isnull=True).order_by("-created_at", "-id").first()
    now = timezone.now()
    if record is None or record.expires_at <= now:
        raise VerificationError(_("the code has expired; send a new one"))
    limit = settings.VERIFICATION_MAX_ATTEMPTS
    if record.attempts >= limit:
        raise VerificationError(_("too many wrong attempts; send a new code"))
    # Counted before comparing, outside any transaction, so a wrong guess is never rolled back.
    VerificationCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
    if not hmac.compare_digest(record.code_hash, _hash(record.pk, (code or "").strip())):
        left = limit - record.attempts - 1
        raise VerificationError(_("wrong code; %(left)s attempt(s) left") % {"left": max(left, 0)})
    with transaction.atomic():
        VerificationCode.objects.filter(pk=record.pk).update(used_at=now)
        Identity.objects.filter(pk=identity.pk).update(verified=True)
        identity.verified = True
        if case is not None:
            CaseEvent.objects.create(
                case=case, kind=CaseEvent.Kind.IDENTITY, actor=actor, text=f"{identity} verified by code"
            )
    return identity


@transaction.atomic
def do_mark_verified(identity: Identity, agent: Agent, how: str, case: Case | None = None) -> Identity:
    """An agent vouches for an identity (e.g. checked customer number and address on the phone)."""
    if not how.strip():
        raise VerificationError(_("say how you checked the identity"))
    if not agent.memberships.filter(brand_id=identity.brand_id).exists():
        raise VerificationError(_("you do not work for this brand"))
    Identity.objects.filter(pk=identity.pk).update(verified=True)
    identity.verified = True
    for target in [case] if case is not None else list(identity.contact.cases.all()[:50]):
        CaseEvent.objects.create(
            case=target, kind=CaseEvent.Kind.IDENTITY, actor=agent, text=f"{identity} verified by agent: {how}"
        )
    return identity
