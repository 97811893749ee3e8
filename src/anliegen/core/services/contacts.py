"""Contacts and identities: normalise what a sender gave, find the person, never merge silently."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anliegen.base import batch
from anliegen.core.models import Brand, Contact, Identity, IdentityKind, MergeProposal

PHONE_KINDS = {IdentityKind.PHONE, IdentityKind.WHATSAPP}
_KINDS = frozenset(IdentityKind.values)  # the enum builds its list of values anew on every access


class ContactError(ValueError):
    """A change to contacts or identities that cannot be made; the message is shown to the agent."""


# A batch normalises each sender's identities twice (its one read of identities, then identify) and a busy
# sender's mail after mail: the same few thousand addresses, and validating one costs ~0.1 ms.
@lru_cache(maxsize=8192)
def normalise(kind: str, value: str, region: str = "DE") -> str:
    """The canonical form an identity is stored and matched in; raises ValueError when invalid."""
    value = (value or "").strip()
    if kind not in _KINDS:
        raise ValueError(f"unknown identity kind {kind!r}")
    if not value:
        raise ValueError(f"empty {kind}")
    if kind == IdentityKind.EMAIL:
        local, _at, domain = value.rpartition("@")
        quoted = len(local) > 2 and local[0] == local[-1] == '"'
        inner = local[1:-1] if quoted else local
        bad = '"\\' if quoted else ' "(),:;<>@[\\]'
        if any(ch in bad or ord(ch) < 32 for ch in inner):
            raise ValueError(f"not an e-mail address: {value!r}")
        try:
            # A quoted (RFC 5322 3.4.1) or internationalised (RFC 6532) local part: the domain and the length
            # are checked as for the plain local part of the same size.
            plain = local.isascii() and not quoted
            validate_email(value if plain else f"{'x' * len(local.encode())}@{domain}")
        except ValidationError as exc:
            raise ValueError(f"not an e-mail address: {value!r}") from exc
        return f"{local}@{domain.lower()}".lower()
    if kind in PHONE_KINDS:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"not a phone number: {value!r}") from exc
        if not phonenumbers.is_possible_number(number):
            raise ValueError(f"not a phone number: {value!r}")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == IdentityKind.X_HANDLE:
        return value.lstrip("@").lower()
    return value


@dataclass
class Resolved:
    contact: Contact
    outcome: str
    conflicts: list[int]
    created: bool = False  # made for this message: it has no cases yet


def resolve(brand: Brand, identities: list[tuple[str, str]], name: str = "", language: str = "") -> Resolved:
    """Find the contact by exact identity; create one when nobody matches; link new identities to it."""
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    for kind, value in identities:
        try:
            pair = (kind, normalise(kind, value))
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if pair not in pairs:
            pairs.append(pair)
    if not pairs:
        raise ValueError("no usable identity" + (f": {'; '.join(problems)}" if problems else ""))
    found = {(kind, value): contact_id for kind, value, contact_id in _lookup(brand, pairs)}
    owners = []
    for pair in pairs:
        if pair in found and found[pair] not in owners:
            owners.append(found[pair])
    if owners and pairs[0] not in found:
        # The address to answer is new, only another given identity is known: whoever types a customer's
        # phone number beside their own address must not become her (replies, case links go to that address).
        return _stranger_beside(brand, pairs, found, owners, name, language)
    if owners:
        contact = _contact(owners[0])
        outcome = f"known contact {contact.pk}"
    else:
        contact = batch.create(Contact(brand=brand, name=name[:160], language=language))
        outcome = f"new contact {contact.pk}"
    if name and not contact.name:
        contact.name = name[:160]
        if not contact._state.adding:  # a contact new in this batch is written with it, name included
            contact.save(update_fields=["name"])
    for kind, value in pairs:
        if (kind, value) not in found:
            _add_identity(Identity(contact=contact, brand=brand, kind=kind, value=value))
    conflicts = owners[1:]
    if conflicts:
        # Two people or one? A person decides; the desk proposes the merge.
        propose_merges(brand, contact, conflicts, pairs)
        outcome += f"; identities also belong to contact(s) {conflicts}: merge proposed, not done"
    return Resolved(contact, outcome, conflicts, created=not owners)


def _stranger_beside(
    brand: Brand,
    pairs: list[tuple[str, str]],
    found: dict[tuple[str, str], int],
    owners: list[int],
    name: str,
    language: str,
) -> Resolved:
    """A contact of its own for identities given beside someone else's; a person decides about the merge."""
    contact = batch.create(Contact(brand=brand, name=name[:160], language=language))
    for kind, value in pairs:
        if (kind, value) not in found:
            _add_identity(Identity(contact=contact, brand=brand, kind=kind, value=value))
    propose_merges(brand, contact, owners, pairs)
    outcome = f"new contact {contact.pk}; identities also belong to contact(s) {owners}: merge proposed, not done"
    return Resolved(contact, outcome, owners, created=True)


def propose_merges(brand: Brand, contact: Contact, others: list[int], evidence: list[tuple[str, str]]) -> None:
    """One open proposal per pair of contacts, whichever order they were met in."""
    for other in others:
        pair = {contact.pk, other}
        if MergeProposal.objects.filter(
            contact_id__in=pair, other_id__in=pair, state=MergeProposal.State.OPEN
        ).exists():
            continue
        try:
            with transaction.atomic():
                MergeProposal.objects.create(
                    brand=brand, contact=contact, other_id=other, evidence=[list(p) for p in evidence]
                )
        except IntegrityError:
            pass  # a concurrent message proposed the same pair


@transaction.atomic
def check_add_identity(contact: Contact, kind: str, value: str, verified: bool = False) -> Identity:
    """An agent adds an identity they learned (a phone number on a call); refused when it is someone else's."""
    if kind not in IdentityKind.values:
        known = ", ".join(IdentityKind.values)
        raise ContactError(_("unknown identity kind %(kind)r (known: %(known)s)") % {"kind": kind, "known": known})
    try:
        value = normalise(kind, value)
    except ValueError as exc:
        raise ContactError(_("%(value)r is not a valid %(kind)s") % {"value": value, "kind": kind}) from exc
    existing = Identity.objects.filter(brand_id=contact.brand_id, kind=kind, value=value).first()
    if existing is not None:
        if existing.contact_id == contact.pk:
            return existing
        raise ContactError(
            _("%(kind)s %(value)s belongs to another contact (%(other)s): merge the contacts instead")
            % {"kind": kind, "value": value, "other": existing.contact_id}
        )
    return Identity.objects.create(
        contact=contact, brand_id=contact.brand_id, kind=kind, value=value, verified=verified
    )


def _contact(pk: int) -> Contact:
    """The contact: the batch's instance (read with the batch, or new in it) when it has one."""
    scope = batch.current()
    if scope is not None and scope.contacts is not None and pk in scope.contacts:
        return scope.contacts[pk]
    batch.before_read([("contact", pk)])
    contact = Contact.objects.get(pk=pk)
    return scope.contacts.setdefault(pk, contact) if scope is not None and scope.contacts is not None else contact


def _lookup(brand: Brand, pairs: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """(kind, value, contact id) of the pairs some contact of the brand already has."""
    from django.db.models import Q

    known = batch.known_identities(brand.pk, pairs)  # the batch's read, its own new identities included
    if known is not None:
        return known
    batch.before_read(("identity", brand.pk, kind, value) for kind, value in pairs)
    query = Q()
    for kind, value in pairs:
        query |= Q(kind=kind, value=value)
    return list(Identity.objects.filter(query, brand=brand).values_list("kind", "value", "contact_id"))


def _add_identity(identity: Identity) -> None:
    if batch.deferring():
        batch.create(identity)  # written with the batch (which ignores a concurrent duplicate, as below)
    else:
        Identity.objects.bulk_create([identity], ignore_conflicts=True)


def primary(contact: Contact, kind: str) -> Identity | None:
    """The identity to reach the contact on: verified first, deliverable only."""
    scope = batch.current()
    known = None
    if scope is not None and scope.identities_of is not None:
        known = scope.identities_of.get(contact.pk)  # with the batch's pending ones
    if known is None and scope is None:
        known = getattr(contact, "_prefetched_objects_cache", {}).get("identities")
    if known is not None:
        # The batch, or the caller for a page that shows them, read the contact's identities (or made them all):
        # choose as the query below orders.
        usable = [i for i in known if i.kind == kind and not i.undeliverable]
        return max(usable, key=lambda i: (i.verified, i.created_at), default=None)
    batch.before_read([("identities of", contact.pk)])
    return contact.identities.filter(kind=kind, undeliverable=False).order_by("-verified", "-created_at").first()


@transaction.atomic
def do_update(contact: Contact, name: str | None = None, language: str | None = None) -> Contact:
    """Change what is known of the person (from the desk or an integration); only the fields given."""
    fields = {}
    if name is not None:
        fields["name"] = name.strip()[:160]
    if language is not None:
        fields["language"] = language
    if fields:
        Contact.objects.filter(pk=contact.pk).update(**fields)
        for key, value in fields.items():
            setattr(contact, key, value)
    return contact
