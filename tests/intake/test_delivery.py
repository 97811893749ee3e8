"""A pipeline batch enqueues one delivery task for its confirmations; each is still sent once and retried alone."""

from django.core import mail
from django_tasks_db.models import DBTaskResult

from anliegen.core.models import Message, MessageKind
from anliegen.core.services import outbound
from anliegen.intake import pipeline
from anliegen.intake.accept import accept_many
from anliegen.intake.models import Inbound, InboundState

from .conftest import form_raw


def _submit(brand, emails: list[str], **fields: object) -> list[int]:
    items = [("webform", f"d-{e}", form_raw(email=e, **fields), {}, brand.pk) for e in emails]
    return [a.inbound_id for a in accept_many(items)]


def _task_args(path_end: str) -> list:
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.all() if r.task_path.endswith(path_end)]


def test_one_task_per_batch_sends_every_confirmation_once(brand, agents, settings, tasks):
    settings.INTAKE_EAGER = False
    pipeline.process_ids(_submit(brand, ["a@example.org", "b@example.org", "c@example.org"]))
    confirmations = sorted(Message.objects.filter(kind=MessageKind.CONFIRMATION).values_list("pk", flat=True))
    assert len(confirmations) == 3
    assert _task_args(".deliver_batch") == [[confirmations]]
    assert _task_args(".deliver") == []
    assert tasks() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org", "c@example.org"]
    assert set(Message.objects.filter(pk__in=confirmations).values_list("delivery", flat=True)) == {"sent"}
    # The same task run again (a worker crash after sending) sends nothing twice.
    assert outbound.deliver_batch.call(confirmations) == "nothing to do=3"
    assert len(mail.outbox) == 3


def test_a_failing_message_is_retried_on_its_own(brand, agents, settings, tasks, monkeypatch):
    from django.core.mail.backends import locmem

    settings.INTAKE_EAGER = False
    real = locmem.EmailBackend.send_messages

    def refuse(self, messages):  # the mail server refuses one address, takes the others
        if any("down@example.org" in m.to for m in messages):
            raise ConnectionError("451 try again later")
        return real(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)
    pipeline.process_ids(_submit(brand, ["up@example.org", "down@example.org"]))
    assert tasks() == 1  # the retry is due later
    down = Message.objects.get(kind=MessageKind.CONFIRMATION, address="down@example.org")
    assert [m.to for m in mail.outbox] == [["up@example.org"]]
    assert down.delivery == Message.Delivery.QUEUED and down.delivery_attempts == 1 and "451" in down.delivery_error
    assert _task_args(".deliver") == [[down.pk]]


def test_a_quarantined_item_takes_its_confirmation_out_of_the_batch_task(brand, agents, settings, monkeypatch):
    settings.INTAKE_EAGER = False

    def notify_or_fail(ctx) -> None:  # noqa: ANN001
        if ctx.message.subject == "kaputt":
            raise RuntimeError("desk unreachable")

    stages = [notify_or_fail if s.__name__ == "notify" else s for s in pipeline.PIPELINE]
    monkeypatch.setattr(pipeline, "PIPELINE", stages)
    good = _submit(brand, ["ok@example.org"])
    bad = _submit(brand, ["bad@example.org"], subject="kaputt")
    pipeline.process_ids(good + bad)
    assert Inbound.objects.get(pk=bad[0]).state == InboundState.QUARANTINED
    kept = list(Message.objects.filter(kind=MessageKind.CONFIRMATION).values_list("pk", flat=True))
    assert len(kept) == 1
    assert _task_args(".deliver_batch") == [[kept]]


def test_one_task_sends_what_several_batches_queued_but_leaves_retries_to_their_backoff(brand, agents, settings):
    settings.INTAKE_EAGER = False
    first = _submit(brand, ["a@example.org", "b@example.org"])
    pipeline.process_ids(first)
    pipeline.process_ids(_submit(brand, ["c@example.org", "d@example.org"]))
    pipeline.process_ids(_submit(brand, ["e@example.org"]))
    batches = _task_args(".deliver_batch")
    assert len(batches) == 3
    waiting = Message.objects.get(kind=MessageKind.CONFIRMATION, address="e@example.org")
    Message.objects.filter(pk=waiting.pk).update(delivery_attempts=1)  # failed once: its retry is due later
    assert outbound.deliver_batch.call(*batches[0]) == "sent=4"  # its own two and the second batch's two
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]
    assert outbound.deliver_batch.call(*batches[1]) == "nothing to do=2"
    assert Message.objects.get(pk=waiting.pk).delivery == Message.Delivery.QUEUED


def test_a_task_sends_at_most_delivery_batch_messages(brand, agents, settings):
    settings.INTAKE_EAGER = False
    settings.DELIVERY_BATCH = 3
    pipeline.process_ids(_submit(brand, ["a@example.org", "b@example.org"]))
    pipeline.process_ids(_submit(brand, ["c@example.org", "d@example.org", "e@example.org"]))
    first, second = _task_args(".deliver_batch")
    assert outbound.deliver_batch.call(*first) == "sent=3"
    assert outbound.deliver_batch.call(*second) == "nothing to do=1 sent=2"
    assert len(mail.outbox) == 5
