"""Scale-out: a worker killed (SIGKILL) in the middle of delivering; every confirmation reaches the relay once."""

from __future__ import annotations

import os
import signal
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from .conftest import Cluster, free_port
from .test_scaleout import PASSWORD, prepare, sql

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]
COUNT = 40
KILL_AT = 15  # the worker dies while the relay has its 15th MAIL FROM: 14 mails had their 250 before


class KillingRelay:
    """A real SMTP server (aiosmtpd) that kills the sending worker at one moment of the conversation."""

    def __init__(self) -> None:
        self.victim: int | None = None
        self.mail_from = 0
        self.messages: list[bytes] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:  # noqa: ANN001
        self.mail_from += 1
        if self.mail_from == KILL_AT and self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)  # before this mail's DATA: it was never delivered
            self.victim = None
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        self.messages.append(envelope.original_content)
        return "250 OK"


def _wait(what: str, check, timeout: float) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def test_a_worker_killed_mid_delivery_leaves_each_confirmation_delivered_once(cluster: Cluster) -> None:
    relay = KillingRelay()
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        cluster.env.update(
            ANLIEGEN_SMTP_HOST="127.0.0.1",
            ANLIEGEN_SMTP_PORT=str(port),
            ANLIEGEN_DELIVERY_LEASE="3",  # short, so the test need not wait long for the takeover
        )
        brand_id = prepare(cluster, "brand", PASSWORD)["brand"]
        # One process, so the kill hits the one delivering (by default the task worker is a second process).
        cluster.start("worker_1", "worker", "--one-process", ready="worker running")
        relay.victim = cluster.procs["worker_1"].pid
        prepare(cluster, "flood", str(brand_id), str(COUNT))
        _wait("the kill", lambda: cluster.procs["worker_1"].poll() is not None, 180)
        assert cluster.procs.pop("worker_1").returncode == -signal.SIGKILL
        delivered_before = len(relay.messages)
        assert delivered_before == KILL_AT - 1
        # What kill -9 left: a task row "running" with nobody running it, the rest of the mail unsent.
        (running,) = sql(cluster, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")[0]
        assert running >= 1
        # The mails that had their 250 were marked sent at once, each in its own commit.
        (sent,) = sql(cluster, "SELECT count(*) FROM core_message WHERE kind = 'confirmation' AND delivery = 'sent'")[0]
        assert sent == delivered_before

        cluster.start("worker_2", "worker", ready="worker running")

        def all_sent() -> bool:
            rows = sql(cluster, "SELECT delivery, count(*) FROM core_message WHERE kind = 'confirmation' GROUP BY 1")
            return dict(rows) == {"sent": COUNT}

        _wait("every confirmation sent", all_sent, 180)
        time.sleep(1)  # a second sender, if there were one, would have sent by now
        assert len(relay.messages) == COUNT, f"{len(relay.messages)} mails for {COUNT} confirmations"
        mails = [message_from_bytes(raw, policy=policy.default) for raw in relay.messages]
        assert len({m["To"] for m in mails}) == COUNT  # each customer once
        stored = {
            f"<{mid}>" for (mid,) in sql(cluster, "SELECT external_id FROM core_message WHERE kind = 'confirmation'")
        }
        assert {m["Message-ID"] for m in mails} == stored
        # The abandoned task row was taken over, not left running.
        rows = sql(cluster, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1")
        assert "RUNNING" not in dict(rows), rows
        assert "Traceback" not in cluster.log("worker_2"), cluster.log("worker_2")[-3000:]
    finally:
        controller.stop()
