"""A batch writes its new rows together, yet every message sees the ones before it as if written at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anliegen.base import writes
from anliegen.channels.email.inbound import items_for
from anliegen.channels.email.tests.conftest import mail
from anliegen.core.models import Case, Contact, Identity, Message, MessageKind
from anliegen.intake import pipeline
from anliegen.intake.accept import accept_many
from anliegen.intake.models import Inbound, InboundState

from .conftest import form_raw


@pytest.fixture(params=[True, False], ids=["deferred", "one-by-one"])
def deferred(request, settings):
    """Every behaviour here holds with deferred writes and without them (the fallback path)."""
    settings.INTAKE_EAGER = False
    settings.INTAKE_DEFERRED_WRITES = request.param
    return request.param


def _forms(brand, *fields: dict) -> list[int]:
    items = [("webform", f"w-{i}", form_raw(**f), {}, brand.pk) for i, f in enumerate(fields)]
    return [a.inbound_id for a in accept_many(items)]


def _mails(brand, *raws: bytes) -> list[int]:
    items = [item for raw in raws for item in items_for(raw, ["service@stadtwerk.example"], [brand.pk])]
    return [a.inbound_id for a in accept_many(items)]


def test_same_new_sender_twice_in_one_batch_is_one_contact_and_one_case(brand, agents, deferred):
    ids = _mails(
        brand,
        mail(subject="Zählerstand falsch", body="Der Stand ist falsch.", sender="neu@example.org"),
        mail(subject="Zählerstand falsch", body="Noch ein Foto dazu.", sender="Neu@Example.org"),
    )
    pipeline.process_ids(ids)
    assert Contact.objects.count() == 1
    assert Identity.objects.filter(value="neu@example.org").count() == 1
    case = Case.objects.get()
    assert case.messages.filter(direction="in").count() == 2
    # The second message is a follow-up a moment later: no second confirmation (no mail storm).
    assert case.messages.filter(kind=MessageKind.CONFIRMATION).count() == 1
    assert set(Inbound.objects.values_list("state", flat=True)) == {InboundState.DONE}


def test_a_reply_in_the_same_batch_as_its_parent_joins_its_case(brand, agents, deferred):
    parent = mail(subject="Umzug nach Kiel", message_id="<p-1@example.org>")
    reply = mail(
        subject="Re: Umzug nach Kiel", message_id="<p-2@example.org>", headers={"In-Reply-To": "<p-1@example.org>"}
    )
    pipeline.process_ids(_mails(brand, parent, reply))
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction="in").count() == 2


def test_a_reply_before_its_parent_in_one_batch_ends_on_one_case(brand, agents, deferred):
    parent = mail(subject="Abschlag zu hoch", message_id="<q-1@example.org>", sender="Ole <ole@example.org>")
    reply = mail(
        subject="Re: Abschlag zu hoch",
        message_id="<q-2@example.org>",
        sender="Ole <ole@example.org>",
        headers={"In-Reply-To": "<q-1@example.org>"},
    )
    pipeline.process_ids(_mails(brand, reply, parent))
    cases = set(Message.objects.filter(direction="in").values_list("case_id", flat=True))
    assert len(cases) == 1


def test_a_write_that_fails_sends_the_batch_through_again_item_by_item(brand, agents, settings, monkeypatch):
    settings.INTAKE_EAGER = False
    calls = []
    real_flush = writes.Pending.flush

    def failing_flush(self, on_written=None):
        calls.append(1)
        if len(calls) == 1:
            raise writes.FlushFailed("disk on fire")
        return real_flush(self, on_written)

    monkeypatch.setattr(writes.Pending, "flush", failing_flush)
    ids = _forms(brand, {"email": "a@example.org"}, {"email": "b@example.org"}, {"email": "c@example.org"})
    done = pipeline.process_ids(ids)
    assert len(done) == 3
    assert list(Inbound.objects.values_list("state", "attempts")) == [(InboundState.DONE, 1)] * 3
    assert Case.objects.count() == 3
    assert Message.objects.filter(kind=MessageKind.CONFIRMATION).count() == 3


def test_an_item_failing_after_earlier_rows_were_written_does_not_take_them_along(brand, agents, settings, monkeypatch):
    """The second message forces the first one's rows out (same sender), then breaks: only it is quarantined."""
    from anliegen.intake.stages import classify as classify_module

    settings.INTAKE_EAGER = False
    real = classify_module.classify

    def breaking(ctx):
        if "kaputt" in ctx.message.text:
            raise RuntimeError("classifier broke")
        return real(ctx)

    monkeypatch.setattr(pipeline, "PIPELINE", [breaking if s is real else s for s in pipeline.PIPELINE])
    ids = _forms(
        brand,
        {"email": "x@example.org", "subject": "Rechnung doppelt", "text": "Zweimal abgebucht."},
        {"email": "x@example.org", "subject": "Rechnung doppelt", "text": "kaputt"},
        {"email": "y@example.org", "subject": "Router", "text": "Kein Internet."},
    )
    pipeline.process_ids(ids)
    states = dict(Inbound.objects.values_list("external_id", "state"))
    assert states == {"w-0": InboundState.DONE, "w-1": InboundState.QUARANTINED, "w-2": InboundState.DONE}
    assert Case.objects.count() == 2
    assert Inbound.objects.get(external_id="w-1").reason == "RuntimeError: classifier broke"


def test_new_messages_cost_a_few_statements_each_not_one_per_row(brand, agents, settings):
    settings.INTAKE_EAGER = False
    settings.INTAKE_DEFERRED_WRITES = True
    ids = _forms(brand, *({"email": f"k{i}@example.org", "subject": f"Frage zu Vertrag {i}"} for i in range(40)))
    with CaptureQueriesContext(connection) as queries:
        pipeline.process_ids(ids)
    assert Message.objects.filter(kind=MessageKind.CONFIRMATION).count() == 40
    # Per message: its savepoint, release and the sender count; the rows themselves go in one INSERT per table.
    assert len(queries.captured_queries) < 40 * 4, len(queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_reserved_ids_are_never_taken_by_another_insert(brand, agents):
    from django.db import transaction

    with transaction.atomic():
        reserved = writes.allocate(Contact, 5)
        other = Contact.objects.create(brand=brand, name="Eine andere")
        assert other.pk not in reserved
        assert len(set(reserved)) == 5
        again = writes.allocate(Contact, 3)
        assert not set(again) & set(reserved) and other.pk not in again
