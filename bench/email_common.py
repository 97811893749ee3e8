"""Shared set-up for the e-mail benchmarks: a fresh database, one brand, a few agents, result files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

PEERS = Path(__file__).resolve().parents[2] / "shared" / "peers"
BRAND_DOMAIN = "brand.example"


def setup_django(work: Path, database_url: str = "") -> str:
    """Point the product at WORK_DIR (SQLite) or a fresh PostgreSQL database; return the db kind."""
    work.mkdir(parents=True, exist_ok=True)
    os.environ["ANLIEGEN_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("ANLIEGEN_LOG_LEVEL", "WARNING")
    if database_url:
        _recreate_postgres(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm"):
            Path(work / "data" / f"anliegen.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")
    import django

    from anliegen import datadir

    datadir.prepare()  # the same data directory and key as the `anliegen` processes the bench starts

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return "postgresql" if database_url else "sqlite"


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if "peer" not in name and "bench" not in name:
        sys.exit(f"ERROR: refusing to drop database {name!r}: its name must contain 'peer' or 'bench'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def create_brand():
    """One brand for service@brand.example with four agents, like a small team."""
    from anliegen.core.setup import create_agent, create_brand

    brand = create_brand("brand", "Brand Service", BRAND_DOMAIN, hotline="+49 40 555000", answer_within_hours=8)
    team = [("anna", "Anna Schmidt", ["de", "en"]), ("ben", "Ben Wagner", ["de"]), ("claire", "Claire Miller", ["en"])]
    agents = [
        create_agent(brand, u, n, "bench-pass-1", languages=langs, extension=str(201 + i))
        for i, (u, n, langs) in enumerate(team)
    ]
    brand.default_owner = agents[0]
    brand.save(update_fields=["default_owner"])
    return brand


def write_map(path: Path) -> int:
    """message-id<TAB>case id for every inbound mail stored on a case."""
    from anliegen.core.models import Direction, Message

    rows = Message.objects.filter(channel="email", direction=Direction.IN).exclude(external_id="")
    lines = [f"<{mid}>\t{case}" for mid, case in rows.values_list("external_id", "case_id").order_by("id")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def write_outbox(outbox: Path) -> int:
    """Render every queued outgoing mail with the real sender into files (nothing leaves the machine)."""
    from django.test import override_settings

    from anliegen.channels.email.outbound import build
    from anliegen.core.models import Message

    outbox.mkdir(parents=True, exist_ok=True)
    count = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        queued = Message.objects.filter(channel="email", delivery=Message.Delivery.QUEUED).select_related(
            "case", "brand", "case__owner", "author_agent"
        )
        for message in queued.iterator():
            mail = build(message)
            (outbox / f"{message.pk:07d}.eml").write_bytes(mail.message().as_bytes())
            count += 1
    return count


def thread_check(mail_dir: Path, map_tsv: Path, outbox: Path) -> dict[str, str]:
    import subprocess

    out = subprocess.run(
        [sys.executable, str(PEERS / "thread_check.py"), str(mail_dir), str(map_tsv), "--outbox", str(outbox)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
