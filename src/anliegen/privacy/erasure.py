"""Erasure of a contact: their personal data goes, the shape of the work stays.

Cases, messages and identities keep their rows, states, channels, owners and times (so reports and statistics
stay right); what the customer wrote or was written, their names and addresses, attachments and the raw
payloads they arrived in are removed. The search indexes follow the same rows through their triggers
(search/schema.py), so an erased word is no longer found.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q

from anliegen.audit import services as audit
from anliegen.channels.chat.models import Conversation
from anliegen.channels.email.models import CapturedMail
from anliegen.channels.phone.models import Call
from anliegen.core.models import (
    Agent,
    Attachment,
    Case,
    CaseEvent,
    Contact,
    Identity,
    IdentityKind,
    MergeProposal,
    Message,
    VerificationCode,
)
from anliegen.desk.models import Draft
from anliegen.intake.models import Inbound
from anliegen.promises.models import Promise

ERASED = "[erased]"


@dataclass
class Erased:
    contacts: int = 0
    identities: int = 0
    cases: int = 0
    messages: int = 0
    attachments: int = 0
    inbounds: int = 0
    mails: int = 0


def delete_files(attachments: list[Attachment]) -> None:
    """Files go once the transaction that removed their rows has committed (a rollback keeps both)."""
    storage_names = [(a.file.storage, a.file.name) for a in attachments if a.file]

    def remove() -> None:
        for storage, name in storage_names:
            storage.delete(name)

    transaction.on_commit(remove)


@transaction.atomic
def erase_contact(contact: Contact, actor: Agent | None, via: str) -> Erased:
    done = Erased()
    # Contacts merged into this one are the same person (their old ids still appear in links and entries).
    contact_ids = [contact.pk, *Contact.objects.filter(merged_into=contact).values_list("pk", flat=True)]
    case_ids = list(Case.objects.filter(contact_id__in=contact_ids).values_list("pk", flat=True))
    identities = Identity.objects.filter(contact_id__in=contact_ids)
    emails = list(identities.filter(kind=IdentityKind.EMAIL).values_list("value", flat=True))
    messages = Message.objects.filter(case_id__in=case_ids)
    attachments = list(Attachment.objects.filter(message__case_id__in=case_ids))
    delete_files(attachments)
    done.attachments = Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()[0]
    inbound_ids = set(messages.exclude(inbound=None).values_list("inbound_id", flat=True))
    inbound_ids |= set(Inbound.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    done.inbounds = Inbound.objects.filter(pk__in=inbound_ids).update(
        raw=b"", meta={}, reason="", traceback="", trace={}
    )
    done.messages = messages.update(subject="", body_text=ERASED, body_html="", address="")
    done.cases = Case.objects.filter(pk__in=case_ids).update(subject=ERASED, needs={})
    for event in CaseEvent.objects.filter(case_id__in=case_ids).exclude(text="", data={}):
        event.text = ""
        event.data = {k: v for k, v in event.data.items() if k not in ("identities", "number", "address")}
        event.save(update_fields=["text", "data"])
    Promise.objects.filter(case_id__in=case_ids).update(text=ERASED)
    Draft.objects.filter(case_id__in=case_ids).delete()  # unsent replies name the customer too
    Call.objects.filter(message__case_id__in=case_ids).update(number="", number_raw="", number_problem="")
    Conversation.objects.filter(case_id__in=case_ids).update(name="", email="", page_url="")
    VerificationCode.objects.filter(Q(identity__in=identities) | Q(sent_to__in=identities)).delete()
    MergeProposal.objects.filter(Q(contact_id__in=contact_ids) | Q(other_id__in=contact_ids)).update(evidence=[])
    # The kind stays (the channel mix); the value becomes a placeholder unique per identity (a unique key).
    for identity in identities:
        identity.value, identity.verified, identity.undeliverable = f"erased-{identity.pk}", False, True
        identity.save(update_fields=["value", "verified", "undeliverable"])
        done.identities += 1
    # Kept copies of mail sent to the customer (the outbox without a relay) name them in every header.
    for address in emails:
        done.mails += CapturedMail.objects.filter(recipients__icontains=address).delete()[0]
    done.contacts = Contact.objects.filter(pk__in=contact_ids).update(name="")
    audit.record(actor, audit.Action.CONTACT_ERASE, contact, asdict(done), via=via)
    return done
