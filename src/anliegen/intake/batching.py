"""What a pipeline batch reads once for all its messages, and the tables whose new rows it writes together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from anliegen.base.batch import Row, current
from anliegen.base.writes import Pending
from anliegen.core.models import Brand, Case, CaseEvent, Contact, Identity, Message
from anliegen.core.services.contacts import normalise

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


def _rows(model: type[Model], column: str, values: set[str]) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {value: [] for value in values}
    if values:
        rows = model.objects.filter(**{f"{column}__in": values}).order_by("-id")
        for pk, case_id, brand_id, value in rows.values_list("id", "case_id", "brand_id", column):
            found[value].append((pk, case_id, brand_id))
    return found
