"""One batch of mail costs one query per kind, not one per mail: threading, contacts and writes read per batch."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anliegen.channels.email.inbound import BrandDomains, items_for, store
from anliegen.core.models import Case, Message
from anliegen.intake import pipeline

from .conftest import mail

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


def _kind(sql: str) -> str:
    """The statement's verb and first table: what one query per batch means."""
    verb = sql.split(None, 1)[0].upper()
    table = _TABLE.search(sql)
    return f"{verb} {table.group(1) if table else ''}".strip()


def _accept(raws: list[bytes], acknowledge: bool = False) -> list[int]:
    rcpts = ["service@stadtwerk.example"]
    brands = [BrandDomains().brand_id(r) for r in rcpts]
    meta = {} if acknowledge else {"no_acknowledge": True}
    items = [item for raw in raws for item in items_for(raw, rcpts, brands, **meta)]
    return [a.inbound_id for a in store(items) if not a.duplicate]


def _batch(tag: str, n: int, stored: list[str]) -> list[bytes]:
    """n mails of each kind: new, reply to a stored mail, reply to one earlier in this batch, automatic."""
    raws = []
    for i in range(n):
        new_id = f"<{tag}-new-{i}@example.org>"
        sender = f"Kundin {i} <{tag}{i}@example.org>"
        raws.append(mail(subject=f"Zähler {tag} {i} defekt", sender=sender, message_id=new_id))
        parent = stored[i % len(stored)]
        raws.append(
            mail(
                subject=f"Re: Zähler {i}",
                sender=f"Alt {i} <old{i}@example.org>",
                message_id=f"<{tag}-re-{i}@example.org>",
                headers={"In-Reply-To": parent, "References": parent},
            )
        )
        raws.append(
            mail(
                subject=f"AW: Zähler {tag} {i} defekt",
                sender=sender,
                message_id=f"<{tag}-same-{i}@example.org>",
                headers={"In-Reply-To": new_id, "References": new_id},
            )
        )
        raws.append(
            mail(
                subject="Abwesenheitsnotiz",
                sender=f"Alt {i} <old{i}@example.org>",
                message_id=f"<{tag}-auto-{i}@example.org>",
                headers={"In-Reply-To": parent, "Auto-Submitted": "auto-replied"},
            )
        )
    return raws


def _statements(tag: str, n: int, stored: list[str], acknowledge: bool) -> Counter:
    ids = _accept(_batch(tag, n, stored), acknowledge)
    with CaptureQueriesContext(connection) as queries:
        pipeline.process_ids(ids)
    return Counter(_kind(q["sql"]) for q in queries.captured_queries)


@pytest.mark.parametrize("acknowledge", [True, False], ids=["confirmed", "imported"])
def test_statements_per_batch_do_not_grow_with_its_mails(acknowledge, agents, settings):
    settings.INTAKE_EAGER = False
    stored = [f"<old-{i}@example.org>" for i in range(40)]
    old = [
        mail(subject=f"Zähler {i}", sender=f"Alt {i} <old{i}@example.org>", message_id=mid)
        for i, mid in enumerate(stored)
    ]
    pipeline.process_ids(_accept(old))
    _statements("warm", 2, stored, acknowledge)  # one-off reads (URL configuration, content types) out of the way
    small, large = _statements("s", 10, stored, acknowledge), _statements("l", 20, stored, acknowledge)
    growth = {kind: large[kind] - small[kind] for kind in large | small if large[kind] - small[kind] > 0}
    breakdown = "\n".join(f"{kind}: {small[kind]} -> {large[kind]}" for kind in sorted(large | small))
    # 40 more mails in the batch: a kind that costs one statement per mail grows by 40 (or 10 per mail kind).
    # Savepoints too: an item that only reads until the batch writes for it needs none (batch.item).
    assert not {kind: g for kind, g in growth.items() if g >= 10}, breakdown
    replies = Message.objects.filter(external_id__startswith="l-re-")
    assert {m.case.contact.identities.get().value for m in replies} == {f"old{i}@example.org" for i in range(20)}
    same = Message.objects.filter(external_id__startswith="l-same-")
    assert all(
        m.case_id == Message.objects.get(external_id=f"l-new-{m.external_id.split('-')[2]}").case_id for m in same
    )
    assert Case.objects.filter(subject__startswith="Zähler l").count() == 20
