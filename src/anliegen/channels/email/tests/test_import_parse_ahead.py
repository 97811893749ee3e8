"""A bulk import parses its mail in other processes while it writes: the same cases, and the parse left here."""

from __future__ import annotations

import pytest

from anliegen.channels.email import importer
from anliegen.core.models import Case, Message, MessageKind
from anliegen.intake import parse_ahead
from anliegen.intake.models import Inbound, InboundState
from anliegen.intake.stages import parse as parse_stage

from .conftest import mail


@pytest.fixture(autouse=True)
def fresh_pool(monkeypatch):
    monkeypatch.setattr(parse_ahead, "_failed", False)  # restored after the test, as is the module's pool
    # `anliegen import` runs on one thread; earlier tests of the suite may have left threads of their own.
    monkeypatch.setattr(parse_ahead, "_threads", lambda: 1)
    yield
    parse_ahead.shutdown()


@pytest.fixture
def counted(monkeypatch):
    """Counts the mails parsed in this process (a forked parse process counts in its own copy)."""
    calls: list[str] = []
    real = parse_stage.registry.parser

    def parser(channel: str):  # noqa: ANN202
        found = real(channel)

        def run(raw: bytes, meta: dict):  # noqa: ANN202
            calls.append(channel)
            return found(raw, meta)

        return run

    monkeypatch.setattr(parse_stage.registry, "parser", parser)
    return calls


def _folder(tmp_path, n: int = 12):  # noqa: ANN001, ANN202
    for i in range(n):
        headers = {"In-Reply-To": "<m0@example.org>"} if i % 4 == 3 else None
        subject = "Re: Zähler" if headers else f"Zähler {i} zeigt nichts"
        sender = f"Kunde {i} <k{i % 5}@example.org>"
        raw = mail(subject=subject, sender=sender, message_id=f"<m{i}@example.org>", headers=headers)
        (tmp_path / f"{i:03}.eml").write_bytes(raw)
    return str(tmp_path)


def _outcome() -> list[tuple]:
    rows = Message.objects.filter(kind=MessageKind.MESSAGE, direction="in").order_by("external_id")
    return [(m.external_id, m.subject, m.body_text, m.case.subject, m.case.owner_id) for m in rows]


@pytest.mark.django_db(transaction=True)
def test_chunks_are_parsed_in_other_processes_with_the_same_result(tmp_path, agents, settings, monkeypatch, counted):
    settings.INTAKE_EAGER = False
    settings.INTAKE_PARSE_PROCESSES = 1
    monkeypatch.setattr(importer, "CHUNK", 4)
    folder = _folder(tmp_path)
    summary = importer.import_mail([folder])
    assert summary.imported == 12 and not summary.quarantined
    assert counted == []  # every mail was parsed in the pool, none here
    ahead, cases = _outcome(), Case.objects.count()
    assert len(ahead) == 12 and cases < 12  # the replies joined m0's case

    Message.objects.all().delete()
    Case.objects.all().delete()
    Inbound.objects.all().delete()
    settings.INTAKE_PARSE_PROCESSES = 0
    importer.import_mail([folder])
    assert len(counted) == 12  # parsed here this time
    assert [row[:4] for row in _outcome()] == [row[:4] for row in ahead] and Case.objects.count() == cases


@pytest.mark.django_db(transaction=True)
def test_a_result_for_other_input_is_not_used(agents, settings):
    settings.INTAKE_PARSE_PROCESSES = 1
    raw = mail(message_id="<x1@example.org>")
    assert parse_ahead.submit([(41, "email", raw, {"rcpt_tos": []})]) == 1
    assert parse_ahead.take(41, raw + b"x", {"rcpt_tos": []}) is None  # the payload changed
    assert parse_ahead.submit([(42, "email", raw, {"rcpt_tos": []})]) == 1
    assert parse_ahead.take(42, raw, {"rcpt_tos": [], "languages": ["de"]}) is None  # other meta
    assert parse_ahead.submit([(43, "email", raw, {})]) == 1
    assert parse_ahead.take(43, raw, {}).external_id == "x1@example.org"
    assert parse_ahead.take(43, raw, {}) is None  # taken once
    assert parse_ahead.submit([(44, "webform", b"{}", {})]) == 0  # its spec does not parse ahead


@pytest.mark.django_db(transaction=True)
def test_a_dead_pool_costs_time_not_the_message(tmp_path, agents, settings, monkeypatch, counted):
    settings.INTAKE_EAGER = False
    settings.INTAKE_PARSE_PROCESSES = 1
    monkeypatch.setattr(importer, "CHUNK", 4)
    monkeypatch.setattr(parse_ahead, "parse_many", _die)
    summary = importer.import_mail([_folder(tmp_path, 8)])
    assert summary.imported == 8 and not summary.quarantined
    assert len(counted) == 8  # every mail parsed here after the pool broke
    assert not Inbound.objects.exclude(state=InboundState.DONE).exists()


def _die(items):  # noqa: ANN001, ANN202 - runs in the pool process
    import os

    os._exit(1)


def test_no_pool_inside_a_transaction(db, settings):
    # A fork inside an open transaction would share its connection: parse here instead.
    settings.INTAKE_PARSE_PROCESSES = 1
    assert parse_ahead.pool() is None


@pytest.mark.django_db(transaction=True)
def test_no_pool_beside_other_threads(settings, monkeypatch):
    # A fork copies only the calling thread: a lock another thread holds would stay held in the child.
    settings.INTAKE_PARSE_PROCESSES = 1
    monkeypatch.setattr(parse_ahead, "_threads", lambda: 2)
    assert parse_ahead.pool() is None
    monkeypatch.setattr(parse_ahead, "_threads", lambda: 1)
    assert parse_ahead.pool() is not None


@pytest.mark.django_db(transaction=True)
def test_shared_map_keeps_the_order_and_shares_the_work(settings):
    settings.INTAKE_PARSE_PROCESSES = 1
    done = parse_ahead.shared_map(_where, list(range(40)), chunksize=5)
    assert [n for n, _pid in done] == list(range(40))
    assert len({pid for _n, pid in done}) == 2  # this process and the pool's


def _where(n: int) -> tuple[int, int]:
    import os

    return n, os.getpid()
