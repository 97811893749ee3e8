"""What a pipeline batch reads once for all its messages, and the tables whose new rows it writes together."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from anliegen.base.batch import Batch, Row, current
from anliegen.base.writes import Pending
from anliegen.core.models import Agent, Brand, Case, CaseEvent, Contact, Identity, Message, MessageKind
from anliegen.core.services import case_matching
from anliegen.core.services.contacts import normalise

from .models import Inbound, InboundState
from .stages import detect_automatic

if TYPE_CHECKING:
    from django.db.models import Model

    from .context import Context


def pending() -> Pending:
    # Parents first: foreign keys are checked at commit, but the order keeps each INSERT valid alone. Contacts,
    # cases and messages are pointed to (or named in a confirmation's case link): they get their id when added.
    return Pending(order=(Contact, Identity, Case, Message, CaseEvent), allocated=frozenset((Contact, Case, Message)))


def brand(brand_id: int) -> Brand:
    batch = current()
    if batch is None:
        return Brand.objects.get(pk=brand_id)
    if brand_id not in batch.brands:
        batch.brands[brand_id] = Brand.objects.get(pk=brand_id)
    return batch.brands[brand_id]


def brands_by_domain(domains: set[str]) -> dict[str, Brand | None]:
    """{domain: the brand receiving its mail, or None}; read once per batch for every domain it meets."""
    batch = current()
    known = batch.domains if batch is not None else {}
    missing = domains - known.keys()
    if missing:
        found = {b.mail_domain.lower(): b for b in Brand.objects.filter(mail_domain__in=missing)}
        for domain in missing:
            known[domain] = found.get(domain)
            if batch is not None and found.get(domain) is not None:
                batch.brands.setdefault(found[domain].pk, found[domain])
    return {domain: known[domain] for domain in domains}


def prefetch(contexts: list[Context]) -> None:
    """Read for every parsed message of the batch at once what identify and thread will look up one by one."""
    batch = current()
    if batch is None:
        return
    wanted: dict[tuple[int, str, str], None] = {}
    external_ids: set[str] = set()
    replied_to: set[str] = set()
    for ctx in contexts:
        if ctx.message is None or ctx.brand is None:
            continue
        for kind, value in ctx.message.identities:
            try:
                wanted[(ctx.brand.pk, kind, normalise(kind, value))] = None
            except ValueError:
                continue
        if ctx.message.external_id:
            external_ids.add(ctx.message.external_id[:250])
        replied_to.update(i[:250] for i in ctx.message.in_reply_to[:50])
    identities: dict[tuple[int, str, str], int | None] = dict.fromkeys(wanted)
    if wanted:
        query = Q(brand_id__in={b for b, _k, _v in wanted}, kind__in={k for _b, k, _v in wanted})
        rows = Identity.objects.filter(query, value__in={v for _b, _k, v in wanted})
        for brand_id, kind, value, contact_id in rows.values_list("brand_id", "kind", "value", "contact_id"):
            if (brand_id, kind, value) in identities:
                identities[(brand_id, kind, value)] = contact_id
    batch.identities = identities
    batch.by_in_reply_to = _rows(Message, "in_reply_to", external_ids)
    batch.by_external_id = _rows(Message, "external_id", replied_to)
    batch.replied_to = replied_to
    contact_ids = {c for c in identities.values() if c is not None}
    batch.contacts = {c.pk: c for c in Contact.objects.filter(pk__in=contact_ids)} if contact_ids else {}
    batch.identities_of = {pk: [] for pk in contact_ids}
    for identity in Identity.objects.filter(contact_id__in=contact_ids) if contact_ids else []:
        batch.identities_of[identity.contact_id].append(identity)
    batch.senders = detect_automatic.count_senders(contexts)
    _prefetch_cases(batch, contexts, contact_ids)
    batch.discarded = _discarded(contexts)


def _rows(model: type[Model], column: str, values: set[str]) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {value: [] for value in values}
    if values:
        rows = model.objects.filter(**{f"{column}__in": values}).order_by("-id")
        for pk, case_id, brand_id, value in rows.values_list("id", "case_id", "brand_id", column):
            found[value].append((pk, case_id, brand_id))
    return found


def _prefetch_cases(batch: Batch, contexts: list[Context], contact_ids: set[int]) -> None:
    """One read of the cases threading may land on: behind reply tokens and parent messages, and every known
    contact's recent ones (its same-topic candidates), with the owner and contact later stages read."""
    tokens: set[str] = set()
    for ctx in contexts:
        if ctx.message is not None and ctx.brand is not None:
            tokens.update(t.lower() for t in case_matching.tokens_of(ctx.message, ctx.brand.mail_domain))
    parents = {
        case_id for rows in (*batch.by_external_id.values(), *batch.by_in_reply_to.values()) for _m, case_id, _b in rows
    }
    since = timezone.now() - case_matching.topic_window()
    wanted = Q(reply_token__in=tokens) | Q(pk__in=parents)
    if contact_ids:
        wanted |= Q(contact_id__in=contact_ids, updated_at__gte=since, merged_into__isnull=True)
    found = list(Case.objects.filter(wanted)) if tokens or parents or contact_ids else []
    _attach_people(batch, found)
    batch.cases, batch.tokens = {}, dict.fromkeys(tokens)
    batch.cases_of = {pk: [] for pk in contact_ids}
    for case in found:
        batch.cases[case.pk] = case
        if case.reply_token in batch.tokens:
            batch.tokens[case.reply_token] = case.pk
        if case.contact_id in batch.cases_of and case.updated_at >= since and not case.merged_into_id:
            batch.cases_of[case.contact_id].append(case.pk)


def _attach_people(batch: Batch, cases: list[Case]) -> None:
    """Each case's owner and contact as one instance per row: a handful of agents own hundreds of the batch's
    cases, and its known contacts are read already (a join would build an owner and a contact per case)."""
    if not cases:
        return
    owners = Agent.objects.in_bulk({case.owner_id for case in cases if case.owner_id is not None})
    missing = {case.contact_id for case in cases} - batch.contacts.keys()
    others = Contact.objects.in_bulk(missing) if missing else {}  # not the batch's senders (no identities read)
    for case in cases:
        if case.owner_id is not None:
            case.owner = owners[case.owner_id]
        case.contact = batch.contacts.get(case.contact_id) or others[case.contact_id]


def _discarded(contexts: list[Context]) -> set[tuple[str, str]]:
    """(channel, external id) of discarded Inbounds without a case that a message of the batch answers."""
    wanted = {(ctx.inbound.channel, i) for ctx in contexts if ctx.message for i in ctx.message.in_reply_to[:20]}
    if not wanted:
        return set()
    rows = Inbound.objects.filter(
        channel__in={c for c, _i in wanted},
        external_id__in={i for _c, i in wanted},
        state=InboundState.DISCARDED,
        case__isnull=True,
    )
    return set(rows.values_list("channel", "external_id")) & wanted


def prefetch_confirmed(quiet: timedelta) -> None:
    """After prefetch: the confirmations of the last `quiet` on the cases it read, the ones acknowledge asks
    about ("confirmed recently", no second confirmation), in one query instead of one per follow-up."""
    batch = current()
    if batch is None or batch.cases is None:
        return
    confirmed: dict[int, dict] = {pk: {} for pk in batch.cases}
    if confirmed:
        # A minute more than asked: the lookups come later and compare with their own "now".
        since = timezone.now() - quiet - timedelta(minutes=1)
        rows = Message.objects.filter(case_id__in=list(confirmed), kind=MessageKind.CONFIRMATION, created_at__gte=since)
        for case_id, address, at in rows.values_list("case_id", "address", "created_at"):
            last = confirmed[case_id].get(address)
            confirmed[case_id][address] = at if last is None else max(last, at)
    batch.confirmed = confirmed
