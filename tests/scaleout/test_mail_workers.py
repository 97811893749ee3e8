"""Scale-out: generated mail through two intake workers at once is processed once and threads as with one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import Cluster
from .test_scaleout import PASSWORD, prepare, sql

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]
PEERS = Path(__file__).resolve().parents[3] / "shared" / "peers"
# Enough mail that replies and their parents land in the two workers' batches at the same moment many times.
MAILS = int(os.environ.get("ANLIEGEN_SCALEOUT_MAILS", "1000"))


def _score(cluster: Cluster, mail: Path, tmp: Path) -> dict[str, str]:
    """thread_check.py's figures for what the database holds: each inbound mail -> the case it ended on."""
    rows = sql(
        cluster,
        "SELECT m.external_id, coalesce(c.merged_into_id, c.id) FROM core_message m JOIN core_case c "
        "ON c.id = m.case_id WHERE m.channel = 'email' AND m.direction = 'in' AND m.external_id <> '' ORDER BY m.id",
    )
    (tmp / "map.tsv").write_text("".join(f"<{mid}>\t{case}\n" for mid, case in rows))
    out = subprocess.run(
        [sys.executable, str(PEERS / "thread_check.py"), str(mail), str(tmp / "map.tsv")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def _wait(cluster: Cluster, ids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (waiting,) = sql(cluster, "SELECT count(*) FROM intake_inbound WHERE id = ANY(%s) AND state = 'received'", ids)[
            0
        ]
        if waiting == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"{waiting} of {len(ids)} Inbounds still waiting after {timeout} s")


@pytest.mark.skipif(not (PEERS / "gen_emails.py").exists(), reason="needs ../shared/peers (the mail generator)")
def test_generated_mail_through_two_workers_threads_as_one(cluster: Cluster, tmp_path: Path) -> None:
    mail = tmp_path / "mail"
    subprocess.run(
        [sys.executable, str(PEERS / "gen_emails.py"), str(mail), "-n", str(MAILS), "--to", "service@scale.example"],
        check=True,
    )
    brand_id = prepare(cluster, "brand", PASSWORD)["brand"]
    # Batches large enough to carry parents and replies side by side, small enough that both workers share.
    cluster.env["ANLIEGEN_INTAKE_BATCH"] = "50"
    cluster.start("worker_1", "worker", "--no-tasks", ready="worker running")
    cluster.start("worker_2", "worker", "--no-tasks", ready="worker running")
    started = time.monotonic()
    ids = prepare(cluster, "mail", str(brand_id), str(mail), "service@scale.example")["ids"]
    assert len(set(ids)) == MAILS
    _wait(cluster, ids, timeout=max(120, MAILS / 5))
    print(f"{MAILS} mails through two workers in {time.monotonic() - started:.1f} s")

    quarantined = sql(cluster, "SELECT stage, reason FROM intake_inbound WHERE state = 'quarantined'")
    assert quarantined == [], quarantined[:5]
    states = dict(sql(cluster, "SELECT state, count(*) FROM intake_inbound GROUP BY state"))
    assert set(states) <= {"done", "discarded"}, states
    # Each processed once (a batch the database rolled back left no trace); twice only the automatic mail
    # filed away at first and taken again when a reply to it arrived.
    twice = sql(
        cluster,
        "SELECT i.id FROM intake_inbound i WHERE i.attempts > 1 AND NOT EXISTS "
        "(SELECT 1 FROM core_message m WHERE m.inbound_id = i.id AND m.kind = 'automatic')",
    )
    assert twice == [], twice
    per_inbound = sql(
        cluster,
        "SELECT inbound_id FROM core_message WHERE inbound_id IS NOT NULL GROUP BY inbound_id HAVING count(*) > 1",
    )
    assert per_inbound == [], per_inbound
    score = _score(cluster, mail, tmp_path)
    print(" ".join(f"{k}={v}" for k, v in score.items()))
    assert int(score["replies"]) > MAILS // 5
    assert score["replies_on_parent_ticket"] == score["replies"], score
    assert score["conversations_one_ticket"] == score["conversations"], score
    for name in ("worker_1", "worker_2"):
        assert "Traceback" not in cluster.log(name), cluster.log(name)[-3000:]
