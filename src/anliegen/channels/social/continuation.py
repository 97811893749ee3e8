"""Continuing a public post privately: the signed link a public reply carries, and what its page does.

The link names the case and the social identity the post came from; it is signed and expires. Whoever opens
it (a public link: anyone may) proves an e-mail address or mobile number by a one-time code sent there. Then
the social identity joins that address's contact (account linking), but only when the social contact has
nothing verified of its own; otherwise a person decides (a merge proposal). The customer picks the private
channel; the case and its owner stay the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.channels import registry
from anliegen.core.models import Case, CaseEvent, Contact, Identity, IdentityKind, MessageKind
from anliegen.core.services import confirmations, contacts, merge, outbound, verification

SALT = "anliegen.social.continue"
SOCIAL_KINDS = (IdentityKind.X_ID, IdentityKind.FACEBOOK_PSID, IdentityKind.INSTAGRAM_ID, IdentityKind.X_HANDLE)
CALLBACK = "callback"


class LinkError(Exception):
    """The link is tampered with, names nothing, or has expired ("expired" / "invalid")."""


class ContinuationError(ValueError):
    """A step the customer cannot take as asked; the message is shown to them."""


def _key(case: Case) -> str:
    # The case's reply token is a mail capability: the link carries only a hash of it (a re-keyed case voids it).
    return hashlib.sha256(f"{SALT}:{case.reply_token}".encode()).hexdigest()[:8]


def token(case: Case, kind: str, value: str) -> str:
    # The identity by kind and value (a public id the reply is addressed to anyway): it may not be written yet.
    return signing.TimestampSigner(salt=SALT).sign(f"{case.pk}.{SOCIAL_KINDS.index(kind)}.{value}.{_key(case)}")


def url(case: Case, kind: str, value: str) -> str:
    return settings.BASE_URL + reverse("social:continue", args=[token(case, kind, value)])


def read(value: str) -> tuple[Case, Identity]:
    try:
        raw = signing.TimestampSigner(salt=SALT).unsign(value, max_age=settings.CONTINUATION_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkError("expired") from exc
    except signing.BadSignature as exc:
        raise LinkError("invalid") from exc
    parts = raw.split(".")
    if len(parts) != 4:  # social ids are digits: no dot inside
        raise LinkError("invalid")
    case_id, kind, address, key = parts
    first = Case.objects.filter(pk=case_id).first()
    if first is None or key != _key(first) or not kind.isdigit() or int(kind) >= len(SOCIAL_KINDS):
        raise LinkError("invalid")
    case = first
    while case.merged_into_id:  # a case merged since: the link leads to the one it became
        case = Case.objects.get(pk=case.merged_into_id)
    case = Case.objects.select_related("brand", "owner", "contact").get(pk=case.pk)
    identity = (
        Identity.objects.select_related("contact")
        .filter(brand_id=case.brand_id, kind=SOCIAL_KINDS[int(kind)], value=address)
        .first()
    )
    if identity is None:
        raise LinkError("invalid")
    return case, identity


@transaction.atomic
def request_code(case: Case, social: Identity, kind: str, value: str) -> Identity:
    """Send a code to the address the customer typed; the identity it proves (someone's, or a new contact's)."""
    if kind not in (IdentityKind.EMAIL, IdentityKind.PHONE):
        raise ContinuationError(_("Choose an e-mail address or a mobile number."))
    try:
        value = contacts.normalise(kind, value, case.brand.default_region)
    except ValueError as exc:
        raise ContinuationError(_("That is not a valid e-mail address or phone number.")) from exc
    target = Identity.objects.filter(brand=case.brand, kind=kind, value=value).select_related("contact").first()
    if target is None:
        # Kept apart until proven: an address typed here must never become the social contact's reply address.
        stranger = Contact.objects.create(brand=case.brand, language=case.language)
        target = Identity.objects.create(contact=stranger, brand=case.brand, kind=kind, value=value)
    try:
        verification.send_code_to(target, case=case)
    except verification.VerificationError as exc:
        raise ContinuationError(str(exc)) from exc
    return target


@dataclass(frozen=True)
class Linked:
    contact: Contact
    joined: bool  # the social identity is now the proven address's contact's; False: a merge is proposed


@transaction.atomic
def confirm(case: Case, social: Identity, target: Identity, code: str) -> Linked:
    """Check the code; on success join the social identity and the proven address (or propose the merge)."""
    try:
        verification.check_code(target, code, case=case)
    except verification.VerificationError as exc:
        raise ContinuationError(str(exc)) from exc
    social.refresh_from_db()
    target.refresh_from_db()
    return link(case, social, target)


def link(case: Case, social: Identity, target: Identity) -> Linked:
    """One contact for the social identity and the proven address, never by name; else a proposal."""
    mine, theirs = social.contact, target.contact
    if mine.pk == theirs.pk:
        return Linked(mine, True)
    if mine.identities.filter(verified=True).exclude(pk=social.pk).exists():
        # The social contact is someone proven already: an address proven by whoever opened the public link
        # must not join them (it would receive their data). Two people or one? A person decides.
        contacts.propose_merges(
            case.brand, theirs, [mine.pk], [(social.kind, social.value), (target.kind, target.value)]
        )
        _event(case, f"{target} verified by code; {social} belongs to another contact: merge proposed")
        return Linked(mine, False)
    if theirs.name or theirs.cases.exists() or theirs.identities.exclude(pk=target.pk).exists():
        joined = merge.do_merge_contacts(theirs, mine, None)  # a known customer: the social contact joins them
    else:
        joined = merge.do_merge_contacts(mine, theirs, None)  # a new address: it joins the social contact
    _event(case, f"{target} verified by code; {social} linked to contact {joined.pk}")
    case.contact = joined
    return Linked(joined, True)


def choices(case: Case, social: Identity) -> list[tuple[str, str]]:
    """The private channels the case can continue on: verified addresses, a callback, the direct message."""
    verified = {i.kind for i in case.contact.identities.filter(verified=True, undeliverable=False)}
    found: list[tuple[str, str]] = []
    for spec in registry.specs():
        if spec.calls_back and spec.identity in verified:
            found.append((CALLBACK, _("a call back")))
        if spec.continues and spec.can_send and spec.identity in verified:
            found.append((spec.name, str(spec.continues)))
    if direct := _direct(social.kind):
        found.append((direct, _("by direct message")))
    return found


CHOSEN = {CALLBACK: gettext_lazy("a call back")}


@transaction.atomic
def choose(case: Case, social: Identity, channel: str) -> None:
    """The case continues on `channel` with the same owner, who confirms there (or promises the call)."""
    if channel not in dict(choices(case, social)):
        raise ContinuationError(_("Choose one of the ways offered."))
    Case.objects.filter(pk=case.pk).update(
        preferred_channel=_calling() if channel == CALLBACK else channel, updated_at=timezone.now()
    )
    _event(case, f"continues privately on {channel}")
    if channel == CALLBACK:
        _promise_callback(case)
        return
    kind = registry.identity_kind(channel)
    identity = social if channel == _direct(social.kind) else contacts.primary(case.contact, kind)
    text, html = confirmations.render(case, "follow_up")
    with translation.override(case.language or case.brand.default_language):
        subject = _("Re: %(subject)s") % {"subject": case.subject}
    outbound.new_message(
        case, channel=channel, address=identity.value, author=case.owner, kind=MessageKind.CONFIRMATION,
        subject=subject, text=text, html=html if registry.spec(channel).html else "",
    )  # fmt: skip


def _direct(kind: str) -> str:
    """The private channel a social identity is answered on by direct message (X's DMs, Messenger), or ""."""
    return next((s.name for s in registry.specs() if s.identity == kind and s.can_send and not s.public), "")


def _calling() -> str:
    """The channel a callback is made on (the one whose spec calls back)."""
    return next(s.name for s in registry.specs() if s.calls_back)


def _promise_callback(case: Case) -> None:
    from anliegen.promises.models import Promise
    from anliegen.promises.services import PromiseInput, do_create_promise

    phone = contacts.primary(case.contact, IdentityKind.PHONE)
    due = timezone.now()
    with translation.override(case.language or case.brand.default_language):
        text = _("Call back %(number)s (asked for after a public post)") % {"number": phone.value}
    window = timedelta(minutes=settings.PHONE_CALLBACK_WITHIN_MINUTES)
    data = PromiseInput(kind=Promise.Kind.CALLBACK, due_at=due, window_end=due + window, text=text)
    do_create_promise(case, case.owner, data, case.owner)


def _event(case: Case, text: str) -> None:
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.IDENTITY, text=text)
