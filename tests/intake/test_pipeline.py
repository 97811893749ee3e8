"""The runner: order of stages, durable idempotent store, quarantine with stage and reason, reprocess."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from anliegen.core.models import Case, Message
from anliegen.intake import pipeline
from anliegen.intake.accept import Accepted, accept, accept_many
from anliegen.intake.context import Context
from anliegen.intake.models import Inbound, InboundState

from .conftest import form_raw


def test_pipeline_order_is_the_documented_one():
    names = [stage.__name__ for stage in pipeline.PIPELINE]
    assert names == [
        "parse",
        "detect_automatic",
        "identify",
        "thread",
        "classify",
        "match_incidents",
        "route",
        "store",
        "acknowledge",
        "notify",
    ]


def test_same_external_id_is_stored_and_processed_once(brand, agents):
    first = accept("webform", "same", form_raw(), {"submission": "same"}, brand_id=brand.pk)
    again = accept("webform", "same", form_raw(text="anders"), {"submission": "same"}, brand_id=brand.pk)
    assert not first.duplicate and again.duplicate and again.inbound_id == first.inbound_id
    assert Inbound.objects.count() == 1
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction="in").count() == 1


def test_external_id_is_per_channel(brand, agents):
    accept("webform", "x1", form_raw(), {"submission": "x1"}, brand_id=brand.pk)
    accept("portal", "x1", b"{}", {}, brand_id=brand.pk)
    assert Inbound.objects.count() == 2


def test_accept_requires_an_id(brand):
    with pytest.raises(ValueError):
        accept("webform", "", b"{}", {}, brand_id=brand.pk)


def test_broken_payload_is_quarantined_with_stage_and_reason_and_kept_raw(brand, agents):
    acc = accept("webform", "bad", b"not json at all", {}, brand_id=brand.pk)
    inbound = Inbound.objects.get(pk=acc.inbound_id)
    assert inbound.state == InboundState.QUARANTINED
    assert inbound.stage == "parse"
    assert "JSONDecodeError" in inbound.reason or "json" in inbound.reason.lower()
    assert bytes(inbound.raw) == b"not json at all"
    assert Case.objects.count() == 0


def test_failure_in_a_later_stage_rolls_back_that_item_only(brand, agents, monkeypatch):
    from anliegen.intake.stages import acknowledge as ack_module

    calls = {"n": 0}
    original = pipeline.PIPELINE[8]

    def flaky(ctx):
        calls["n"] += 1
        if ctx.message.subject == "boom":
            raise RuntimeError("transport exploded")
        return original(ctx)

    monkeypatch.setattr(pipeline, "PIPELINE", [*pipeline.PIPELINE[:8], flaky, *pipeline.PIPELINE[9:]])
    monkeypatch.setattr(pipeline.settings, "INTAKE_EAGER", False)
    assert ack_module.acknowledge is original
    items = [
        (
            "webform",
            f"b{i}",
            form_raw(subject="boom" if i == 1 else f"Thema {i}", email=f"k{i}@example.org"),
            {"submission": f"b{i}"},
            brand.pk,
        )
        for i in range(3)
    ]
    accept_many(items)
    pipeline.process_batch()
    states = dict(Inbound.objects.values_list("external_id", "state"))
    assert states == {"b0": "done", "b1": "quarantined", "b2": "done"}
    bad = Inbound.objects.get(external_id="b1")
    assert bad.stage == "flaky" and "transport exploded" in bad.reason and "Traceback" in bad.traceback
    # The case written by store for the failed item was rolled back with it: nothing half-done.
    assert Case.objects.count() == 2


def test_reprocess_puts_quarantined_items_back_and_they_succeed(brand, agents, settings):
    settings.INTAKE_EAGER = False
    # Stored as a batched listener stores it: a web form is processed within its request (synchronous spec).
    (acc,) = accept_many([("webform", "later", form_raw(), {"submission": "later"}, brand.pk)])
    brand_agents = list(brand.agents.all())
    from anliegen.core.models import Membership

    memberships = list(Membership.objects.filter(brand=brand).values_list("agent_id", "role"))
    Membership.objects.filter(brand=brand).delete()
    brand.default_owner = None
    brand.save()
    pipeline.process_batch()
    inbound = Inbound.objects.get(pk=acc.inbound_id)
    assert inbound.state == InboundState.QUARANTINED and inbound.stage == "route"
    for agent_id, role in memberships:
        Membership.objects.create(agent_id=agent_id, brand=brand, role=role)
    assert pipeline.reprocess() == 1
    pipeline.process_batch()
    inbound.refresh_from_db()
    assert inbound.state == InboundState.DONE and inbound.attempts == 2
    assert Case.objects.get().owner in brand_agents


def test_accept_many_is_idempotent_and_keeps_order(brand, agents, settings):
    settings.INTAKE_EAGER = False
    items = [("webform", f"m{i}", form_raw(), {}, brand.pk) for i in range(5)]
    first = accept_many(items + [items[0]])
    assert [a.duplicate for a in first] == [False] * 5 + [True]
    assert first[5].inbound_id == first[0].inbound_id
    second = accept_many(items)
    assert all(a.duplicate for a in second)
    assert [a.inbound_id for a in second] == [a.inbound_id for a in first[:5]]
    assert Inbound.objects.filter(state="received").count() == 5


def test_one_batch_processes_everything_waiting(brand, agents, settings):
    settings.INTAKE_EAGER = False
    accept_many(
        [
            ("webform", f"n{i}", form_raw(email=f"n{i}@example.org", subject=f"Thema {i}"), {}, brand.pk)
            for i in range(30)
        ]
    )
    done = pipeline.process_batch(limit=100)
    assert len(done) == 30
    assert Case.objects.count() == 30
    assert not Inbound.objects.filter(state="received").exists()


def test_brand_found_by_parsing_is_saved_on_the_inbound(brand, agents):
    raw = b"From: a@example.org\r\nTo: service@stadtwerk.example\r\nSubject: Hallo Strom\r\nMessage-ID: <b1@x>\r\n\r\nhi\r\n"
    acc = accept("email", "b1@x", raw, {"rcpt_tos": ["service@stadtwerk.example"]})
    assert Inbound.objects.get(pk=acc.inbound_id).brand == brand


def _in_thread(body: Callable[[], object]) -> object:
    """Run `body` on another thread, with its own connection, as another process's request would."""
    from django.db import connection

    found: list[object] = []

    def target() -> None:
        try:
            found.append(body())
        except Exception as exc:  # noqa: BLE001 - handed to the test to see
            found.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    return found[0]


@pytest.mark.django_db(transaction=True)
def test_a_store_completes_while_a_batch_parses(brand, agents, monkeypatch, settings):
    """SQLite has one write lock: a batch that held it while parsing kept the listener's 250 waiting."""
    settings.INTAKE_EAGER = False
    accept("webform", "first", form_raw(), {"submission": "first"}, brand_id=brand.pk)
    real_parse, during = pipeline.parse, []

    def parse(ctx: Context) -> None:
        if not during and threading.current_thread() is threading.main_thread():
            during.append(_in_thread(lambda: accept("webform", "during", form_raw(email="b@example.org"), {})))
        real_parse(ctx)

    monkeypatch.setattr(pipeline, "parse", parse)
    assert len(pipeline.process_batch()) == 1
    assert isinstance(during[0], Accepted), during[0]
    assert Inbound.objects.get(external_id="during").state == InboundState.RECEIVED  # stored, for the next batch


@pytest.mark.django_db(transaction=True)
def test_items_taken_by_another_batch_while_this_one_parsed_are_not_run_again(brand, agents, monkeypatch, settings):
    settings.INTAKE_EAGER = False
    accept_many(
        [("webform", f"r{i}", form_raw(email=f"r{i}@example.org"), {}, brand.pk) for i in range(3)], eager=False
    )
    real_parse, other = pipeline.parse, []

    def parse(ctx: Context) -> None:
        if not other and threading.current_thread() is threading.main_thread():
            # Marked first, and only from this batch: the other batch parses through this function too and
            # must not start a thread of its own.
            other.append(None)
            other[0] = _in_thread(pipeline.process_batch)  # another worker, between this one's read and write
        real_parse(ctx)

    monkeypatch.setattr(pipeline, "parse", parse)
    mine = pipeline.process_batch()
    assert not isinstance(other[0], Exception), other[0]
    assert len(mine) + len(other[0]) == 3
    assert list(Inbound.objects.values_list("attempts", flat=True).distinct()) == [1]
    assert Message.objects.filter(kind="confirmation").count() == 3
    assert Case.objects.count() == 3


def _mail(sender: str, message_id: str, subject: str, in_reply_to: str = "") -> bytes:
    reply = f"In-Reply-To: <{in_reply_to}>\r\nReferences: <{in_reply_to}>\r\n" if in_reply_to else ""
    return (
        f"From: {sender}\r\nTo: service@stadtwerk.example\r\nSubject: {subject}\r\n"
        f"Date: Mon, 04 May 2026 20:20:00 +0000\r\nMessage-ID: <{message_id}>\r\n{reply}\r\nMein Fernseher.\r\n"
    ).encode()


def _store(raw: bytes) -> int:
    from anliegen.channels.email.inbound import items_for, store

    return store(items_for(raw, ["service@stadtwerk.example"], [None]))[0].inbound_id


def test_given_items_run_in_arrival_order_wherever_the_table_holds_their_rows(brand, agents, settings):
    """A reply stored after its parent joins the parent's case by its headers, also when the database reads the
    parent's row last (PostgreSQL reads a table in the order of its pages, where an update puts a row's new
    version behind others): the same mail makes the same cases each time."""
    tom = "Tom Berg <tom@example.org>"
    earlier = _store(_mail(tom, "earlier@example.org", "Fernseher schwarz"))  # Tom's own case on this topic
    settings.INTAKE_EAGER = False
    parent = _store(_mail("Una Vogt <una@example.org>", "parent@example.org", "Fernseher schwarz"))
    reply = _store(_mail(tom, "reply@example.org", "Re: Fernseher schwarz", in_reply_to="parent@example.org"))
    Inbound.objects.filter(pk=parent).update(attempts=0)  # the parent's row now lies behind the reply's
    if connection.vendor == "postgresql":
        # A plan that reads rows in table order, as a large import's claim does (a bitmap scan, page by page).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
    pipeline.process_ids([parent, reply])
    cases = dict(Inbound.objects.values_list("pk", "case_id"))
    assert cases[reply] == cases[parent] != cases[earlier]
    assert Inbound.objects.get(pk=reply).trace["thread"] == "reply headers"
