#!/usr/bin/env python3
"""The database's own insert rate for the rows one inbound message produces, as the ceiling for ingest.

    .venv/bin/python bench/raw_insert.py                  # SQLite file and PostgreSQL (anliegen_bench_raw)
    .venv/bin/python bench/raw_insert.py --units 20000 --database-url sqlite:////tmp/raw.sqlite3

A unit is what the pipeline writes for one new message: the Inbound (raw mail kept), the Contact and its e-mail
Identity when new, the Case, its CREATED event, the customer's Message and our confirmation (one to three messages,
two on average) — on the product's real schema (indexes, constraints, search triggers), into a fresh database per
method. Batches of --batch units per transaction, written with multi-row INSERT statements and, on PostgreSQL,
with COPY. One line per method; units/s is the number to hold ingest's messages/s against.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
import generate  # noqa: E402
import rows  # noqa: E402

RAW_URL = "postgres://postgres@127.0.0.1:5432/anliegen_bench_raw"
SQLITE_URL = "sqlite:////tmp/anliegen-bench/raw.sqlite3"
INBOUND = ["id", "channel", "external_id", "brand_id", "raw", "meta", "state", "received_at", "processed_at", "case_id"]
ORDER = ["core_contact", "core_identity", "core_case", "core_caseevent", "core_message", "intake_inbound"]
ROWS_PER_STATEMENT = 100


def batches(spec: rows.Spec, size: int) -> list[dict[str, list[tuple]]]:
    contacts = {c[0]: (c, ids) for c, ids in rows.contact_rows(spec)}
    langs = {cid: (c[3], c[2]) for cid, (c, _) in contacts.items()}
    used: set[int] = set()
    out, batch = [], {t: [] for t in ORDER}
    for made in rows.case_rows(spec, langs):
        contact_id = made.case[2]
        if contact_id not in used:  # a contact is written with its first message, as the pipeline does
            used.add(contact_id)
            contact, identities = contacts[contact_id]
            batch["core_contact"].append(contact)
            batch["core_identity"].extend(identities)
        batch["core_case"].append(made.case)
        batch["core_caseevent"].append(made.event)
        batch["core_message"].extend(made.messages)
        first = made.messages[0]
        raw = f"Message-ID: {first[11]}\nSubject: {first[7]}\nContent-Type: text/plain\n\n{first[8]}\n".encode()
        batch["intake_inbound"].append(
            (made.case[0], "email", first[11] or f"<case-{made.case[0]}>", first[2], raw, json.dumps({}), "done",
             first[14], first[14], made.case[0])
        )  # fmt: skip
        if len(batch["core_case"]) >= size:
            out.append(batch)
            batch = {t: [] for t in ORDER}
    if batch["core_case"]:
        out.append(batch)
    return out


def columns(table: str) -> list[str]:
    return INBOUND if table == "intake_inbound" else generate.COLUMNS[table]


def write_insert(cursor: object, table: str, names: list[str], data: list[tuple]) -> None:
    for start in range(0, len(data), ROWS_PER_STATEMENT):
        part = data[start : start + ROWS_PER_STATEMENT]
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([one] * len(part))}",
            [x for row in part for x in row],
        )


def write_copy(cursor: object, table: str, names: list[str], data: list[tuple]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in data:
            copy.write_row(row)


def measure(url: str, method: str, spec: rows.Spec, batch_size: int) -> str:
    from django.core.management import call_command
    from django.db import connection, transaction

    connection.close()
    benchenv.recreate(url)
    call_command("migrate", verbosity=0)
    generate.create_team(spec)
    prepared = batches(spec, batch_size)
    extra = {t: generate.defaults(t, columns(t)) for t in ORDER}
    writer = write_copy if method == "copy" else write_insert
    count = 0
    started = time.perf_counter()
    for batch in prepared:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in ORDER:
                names, values = extra[table]
                writer(cursor, table, columns(table) + names, [row + values for row in batch[table]])
                count += len(batch[table])
    seconds = time.perf_counter() - started
    return (
        f"raw db={connection.vendor} method={method} units={spec.cases} batch={batch_size} rows={count}"
        f" seconds={seconds:.2f} units_per_s={spec.cases / seconds:.0f} rows_per_s={count / seconds:.0f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=200, help="units per transaction")
    parser.add_argument("--database-url", help="one database; default: SQLite and PostgreSQL, one after the other")
    args = parser.parse_args(argv)
    if not args.database_url:
        for url in (SQLITE_URL, RAW_URL):
            cmd = [sys.executable, __file__, "--units", str(args.units), "--batch", str(args.batch)]
            subprocess.run([*cmd, "--database-url", url], check=True)
        return
    benchenv.setup(args.database_url)
    spec = rows.Spec(args.units, messages_per_case=2, brands=2, agents_per_brand=5)
    methods = ["insert", "copy"] if benchenv.is_postgres(args.database_url) else ["insert"]
    for method in methods:
        print(measure(args.database_url, method, spec, args.batch), flush=True)


if __name__ == "__main__":
    main()
