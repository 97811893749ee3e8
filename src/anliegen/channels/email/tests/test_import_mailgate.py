"""`anliegen import` (eml, Maildir, mbox; date order; idempotent) and `anliegen mailgate` (sysexits)."""

from __future__ import annotations

import io
import json
import mailbox
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from anliegen.channels.email.management.commands import mailgate
from anliegen.core.models import Case, Message, MessageKind
from anliegen.intake.models import Inbound

from .conftest import fixture, mail


def _thread(tmp_path):  # noqa: ANN001, ANN202
    """A parent and its reply, written so the reply comes first in file order."""
    parent = mail(subject="Kündigung Vertrag K123456", message_id="<p1@example.org>")
    parent = parent.replace(b"Mon, 04 May 2026 10:00:00", b"Mon, 04 May 2026 09:00:00")
    reply = mail(
        subject="Re: Kündigung Vertrag K123456",
        sender="Jana Krüger <jana.k@other.example>",
        message_id="<r1@example.org>",
        headers={"In-Reply-To": "<p1@example.org>", "References": "<p1@example.org>"},
    )
    return parent, reply


def _import(*args: str) -> dict:
    out = io.StringIO()
    call_command("import", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_import_eml_folder_in_date_order_and_twice_imports_nothing_twice(tmp_path, agents):
    parent, reply = _thread(tmp_path)
    (tmp_path / "a-reply.eml").write_bytes(reply)
    (tmp_path / "b-parent.eml").write_bytes(parent)
    (tmp_path / "c-ooo.eml").write_bytes(fixture("autoreply__x_autoreply.eml"))
    (tmp_path / "d-broken.eml").write_bytes(fixture("broken__no_headers.eml"))
    summary = _import(str(tmp_path))
    assert summary["found"] == 4 and summary["imported"] == 4 and summary["duplicates_skipped"] == 0
    assert summary["automatic"] == 1
    assert summary["quarantined_by_reason"] == {"parse: not an e-mail message: no header lines": 1}
    assert (
        Message.objects.get(external_id="r1@example.org").case_id
        == Message.objects.get(external_id="p1@example.org").case_id
    )
    again = _import(str(tmp_path))
    assert again["imported"] == 0 and again["duplicates_skipped"] == 4
    assert Inbound.objects.count() == 4


def test_import_maildir_and_mbox_with_brand_and_no_acknowledge(tmp_path, agents, tasks):
    parent, reply = _thread(tmp_path)
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(reply)
    box.add(parent)
    mbox = mailbox.mbox(tmp_path / "old.mbox")
    mbox.add(mail(subject="Zählerstand", sender="alt@example.org", to="info@old-system.example", message_id="<m1@x>"))
    mbox.flush()
    summary = _import(str(tmp_path / "Maildir"), str(tmp_path / "old.mbox"), "--brand", "stadtwerk", "--no-acknowledge")
    assert summary["imported"] == 3 and summary["quarantined"] == 0
    assert Case.objects.count() == 2  # the mbox mail found its brand through --brand
    assert not Message.objects.filter(kind=MessageKind.CONFIRMATION).exists()
    assert tasks() == 0


def test_import_prints_human_summary(tmp_path, agents):
    (tmp_path / "one.eml").write_bytes(mail())
    out = io.StringIO()
    call_command("import", str(tmp_path), stdout=out)
    assert "Imported: 1" in out.getvalue() and "Duplicates skipped: 0" in out.getvalue()


def test_mailgate_stores_and_exits_zero(agents):
    err = io.StringIO()
    code = mailgate.deliver(
        mail(message_id="<gate@example.org>"), ["service@stadtwerk.example"], "jana@example.org", "", err
    )
    assert code == 0 and "stored as" in err.getvalue()
    assert Message.objects.filter(external_id="gate@example.org").exists()
    assert mailgate.deliver(mail(message_id="<gate@example.org>"), [], "", "", io.StringIO()) == 0  # duplicate


def test_mailgate_rejects_input_that_is_no_message(agents):
    err = io.StringIO()
    assert mailgate.deliver(b"", [], "", "", err) == 65
    assert mailgate.deliver(b"just some words without any header\n", [], "", "", err) == 65
    assert "no mail headers" in err.getvalue()


def test_mailgate_temporary_failure_when_database_fails(agents, monkeypatch):
    from django.db import OperationalError

    from anliegen.channels.email import inbound

    def broken(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(inbound, "store", broken)
    err = io.StringIO()
    assert mailgate.deliver(mail(), ["service@stadtwerk.example"], "", "", err) == 75
    assert "temporary failure" in err.getvalue()


@pytest.mark.slow
def test_mailgate_process_with_unreachable_database_exits_75(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "ANLIEGEN_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "anliegen", "mailgate", "--recipient", "service@stadtwerk.example"],
        input=mail(),
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 75, proc.stderr.decode()
