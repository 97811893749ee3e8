"""Merging and splitting contacts and cases by an agent: audited, nothing lost, brands never mixed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anliegen.audit import services as audit
from anliegen.core.models import Agent, Case, CaseEvent, CaseState, Contact, Identity, MergeProposal, Message
from anliegen.core.models.escalation import Escalation


class MergeError(ValueError):
    """A merge or split that cannot be done; the message is shown to the agent."""


def _check_agent(agent: Agent, brand_id: int) -> None:
    if not agent.memberships.filter(brand_id=brand_id).exists():
        raise MergeError(_("you do not work for this brand"))


@transaction.atomic
def check_merge_contacts(target: Contact, source: Contact, agent: Agent) -> Contact:
    """Move everything of `source` to `target`; `source` stays as an empty row pointing at `target`."""
    if target.pk == source.pk:
        raise MergeError(_("a contact cannot be merged with itself"))
    if target.brand_id != source.brand_id:
        raise MergeError(_("contacts of different brands cannot be merged: brands never share customers"))
    if target.merged_into_id or source.merged_into_id:
        raise MergeError(_("one of the contacts was already merged into another"))
    _check_agent(agent, target.brand_id)
    return do_merge_contacts(target, source, agent)


def do_merge_contacts(target: Contact, source: Contact, agent: Agent) -> Contact:
    identities = [str(i) for i in source.identities.all()]
    Identity.objects.filter(contact=source).update(contact=target)
    case_ids = list(Case.objects.filter(contact=source).values_list("pk", flat=True))
    Case.objects.filter(pk__in=case_ids).update(contact=target)
    changed = []
    for field in ("name", "language"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
            changed.append(field)
    if changed:
        target.save(update_fields=changed)
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    now = timezone.now()
    MergeProposal.objects.filter(contact_id__in=[target.pk, source.pk], other_id__in=[target.pk, source.pk]).filter(
        state=MergeProposal.State.OPEN
    ).update(state=MergeProposal.State.MERGED, decided_by=agent, decided_at=now)
    # Proposals about the merged-away contact now concern the one it became.
    MergeProposal.objects.filter(contact=source, state=MergeProposal.State.OPEN).update(contact=target)
    MergeProposal.objects.filter(other=source, state=MergeProposal.State.OPEN).update(other=target)
    data = {"from_contact": source.pk, "to_contact": target.pk, "identities": identities}
    audit.record(agent, audit.Action.CONTACT_MERGE, target, {"from_contact": source.pk, "cases": case_ids})
    for case in Case.objects.filter(contact=target):
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.CONTACT, actor=agent, text=f"contact {source.pk} merged", data=data
        )
    return target


@transaction.atomic
def check_dismiss_proposal(proposal: MergeProposal, agent: Agent) -> MergeProposal:
    """Two people after all: the proposal is closed and not made again for this pair."""
    _check_agent(agent, proposal.brand_id)
    if proposal.state != MergeProposal.State.OPEN:
        raise MergeError(_("this proposal was already decided"))
    proposal.state, proposal.decided_by, proposal.decided_at = MergeProposal.State.DISMISSED, agent, timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    return proposal


@transaction.atomic
def check_split_contact(contact: Contact, identity_ids: list[int], case_ids: list[int], agent: Agent) -> Contact:
    """Two people in one contact: the chosen identities and cases move to a new contact."""
    _check_agent(agent, contact.brand_id)
    moving = list(contact.identities.filter(pk__in=identity_ids))
    if not moving or len(moving) != len(set(identity_ids)):
        raise MergeError(_("choose identities of this contact to move"))
    if contact.identities.exclude(pk__in=identity_ids).count() == 0:
        raise MergeError(_("keep at least one identity on the contact"))
    cases = list(contact.cases.filter(pk__in=case_ids))
    if len(cases) != len(set(case_ids)):
        raise MergeError(_("choose cases of this contact to move"))
    new = Contact.objects.create(brand_id=contact.brand_id, language=contact.language)
    Identity.objects.filter(pk__in=[i.pk for i in moving]).update(contact=new)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(contact=new)
    data = {"from_contact": contact.pk, "to_contact": new.pk, "identities": [str(i) for i in moving]}
    audit.record(agent, audit.Action.CONTACT_SPLIT, contact, {"to_contact": new.pk, "cases": [c.pk for c in cases]})
    for case in cases or list(contact.cases.all()[:50]):
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SPLIT, actor=agent, text="contact split", data=data)
    return new


@transaction.atomic
def check_merge_cases(target: Case, source: Case, agent: Agent) -> Case:
    """One concern in two cases: messages, promises and escalations move; the source closes and points here."""
    if target.pk == source.pk:
        raise MergeError(_("a case cannot be merged with itself"))
    if target.brand_id != source.brand_id:
        raise MergeError(_("cases of different brands cannot be merged"))
    if target.contact_id != source.contact_id:
        raise MergeError(_("the cases belong to different contacts: merge the contacts first"))
    if source.merged_into_id:
        raise MergeError(_("that case was already merged"))
    _check_agent(agent, target.brand_id)
    return do_merge_cases(target, source, agent)


def do_merge_cases(target: Case, source: Case, agent: Agent) -> Case:
    moved = Message.objects.filter(case=source).update(case=target)
    source.promises.update(case=target)  # the promise ledger's rows, reached through their relation
    Escalation.objects.filter(case=source).update(case=target)
    # Earlier merges into the source now lead to the target directly.
    Case.objects.filter(merged_into=source).update(merged_into=target)
    target.needs = {**source.needs, **target.needs}
    if source.is_open and not target.is_open:
        target.state = CaseState.OPEN
    target.save(update_fields=["needs", "state", "updated_at"])
    Case.objects.filter(pk=source.pk).update(state=CaseState.CLOSED, merged_into=target, updated_at=timezone.now())
    source.state, source.merged_into = CaseState.CLOSED, target
    data = {"from_case": source.pk, "to_case": target.pk, "messages": moved}
    audit.record(agent, audit.Action.CASE_MERGE, target, {"from_case": source.pk, "messages": moved})
    CaseEvent.objects.create(case=target, kind=CaseEvent.Kind.MERGED, actor=agent, text="case merged in", data=data)
    CaseEvent.objects.create(case=source, kind=CaseEvent.Kind.MERGED, actor=agent, text="merged away", data=data)
    return target


@transaction.atomic
def check_split_case(case: Case, message_ids: list[int], agent: Agent, subject: str = "") -> Case:
    """Two concerns in one case: the chosen messages move to a new case with the same owner."""
    _check_agent(agent, case.brand_id)
    ids = set(message_ids)
    moving = Message.objects.filter(case=case, pk__in=ids)
    if not ids or moving.count() != len(ids):
        raise MergeError(_("choose messages of this case to move"))
    if not Message.objects.filter(case=case).exclude(pk__in=ids).exists():
        raise MergeError(_("leave at least one message on the case"))
    first = moving.order_by("created_at", "id").first()
    new = Case.objects.create(
        brand_id=case.brand_id,
        contact_id=case.contact_id,
        owner_id=case.owner_id,  # the customer keeps their person
        subject=(subject or first.subject or case.subject)[:250],
        language=case.language,
        preferred_channel=case.preferred_channel,
        answer_due_at=case.answer_due_at,
        last_customer_at=case.last_customer_at,
    )
    moving.update(case=new)
    data = {"from_case": case.pk, "to_case": new.pk, "messages": sorted(ids)}
    audit.record(agent, audit.Action.CASE_SPLIT, case, {"to_case": new.pk, "messages": sorted(ids)})
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.SPLIT, actor=agent, text="messages split off", data=data)
    CaseEvent.objects.create(case=new, kind=CaseEvent.Kind.SPLIT, actor=agent, text="split from case", data=data)
    return new
