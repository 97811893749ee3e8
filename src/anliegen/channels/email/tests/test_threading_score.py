"""The shared threading benchmark: 2,000 generated mails, every reply on its parent's case, no automatic answered."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from anliegen.channels.email.importer import import_mail
from anliegen.core.models import Direction, Message

from .conftest import CORPUS

PEERS = CORPUS.parents[1] / "peers"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    if not (PEERS / "gen_emails.py").exists():
        pytest.skip("the shared peer scripts are not next to the repository")
    out = tmp_path_factory.mktemp("mail")
    subprocess.run([sys.executable, str(PEERS / "gen_emails.py"), str(out), "-n", "2000", "--seed", "42"], check=True)
    return out


@pytest.mark.parametrize("order", ["shuffled"])  # the importer orders by Date; any file order must do
def test_every_reply_on_its_parents_case_and_no_automatic_mail_answered(generated, order, agents, tmp_path, settings):
    from anliegen.core.setup import create_brand

    brand = create_brand("brand", "Brand Service", "brand.example")
    for agent in agents.values():
        agent.memberships.create(brand=brand)
    brand.default_owner = agents["anna"]
    brand.save(update_fields=["default_owner"])
    files = sorted(str(p) for p in generated.glob("*.eml"))
    if order == "shuffled":
        random.Random(11).shuffle(files)
    summary = import_mail(files)
    assert summary.found == 2000 and summary.quarantined == {}
    rows = Message.objects.filter(channel="email", direction=Direction.IN).values_list("external_id", "case_id")
    (tmp_path / "map.tsv").write_text("".join(f"<{m}>\t{c}\n" for m, c in rows))
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    from anliegen.channels.email.outbound import build

    for message in Message.objects.filter(delivery=Message.Delivery.QUEUED, channel="email"):
        (outbox / f"{message.pk}.eml").write_bytes(build(message).message().as_bytes())
    out = subprocess.run(
        [
            sys.executable,
            str(PEERS / "thread_check.py"),
            str(generated),
            str(tmp_path / "map.tsv"),
            "--outbox",
            str(outbox),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    score = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    assert score["replies"] == "592"
    assert score["replies_on_parent_ticket"] == "592", out
    assert score["automatic_mails"] == "63"
    assert score["automatic_mails_answered"] == "0", out
    assert int(score["outgoing_mails"]) > 1000  # the people who wrote were confirmed
