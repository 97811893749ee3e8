"""The generator is deterministic (same seed, same rows) and loads SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from .conftest import BENCH, fields, run_script

sys.path.insert(0, str(BENCH))
import rows  # noqa: E402


def _all_rows(spec: rows.Spec) -> list:
    contacts = list(rows.contact_rows(spec))
    langs = {c[0]: (c[3], c[2]) for c, _ in contacts}
    cases = [(r.case, r.event, r.messages) for r in rows.case_rows(spec, langs)]
    return [rows.brand_rows(spec), rows.agent_rows(spec), contacts, cases]


def test_same_seed_same_rows_other_seed_other_rows():
    spec = rows.Spec(cases=60, messages_per_case=4, brands=3, seed=7, agents_per_brand=3)
    first, again = _all_rows(spec), _all_rows(spec)
    assert first == again
    other = _all_rows(rows.Spec(cases=60, messages_per_case=4, brands=3, seed=8, agents_per_brand=3))
    assert other[3] != first[3]


def test_rows_are_consistent():
    spec = rows.Spec(cases=300, messages_per_case=5, brands=4, seed=1, agents_per_brand=5)
    contacts = {c[0]: c for c, _ in rows.contact_rows(spec)}
    langs = {cid: (c[3], c[2]) for cid, c in contacts.items()}
    made = list(rows.case_rows(spec, langs))
    messages = [m for r in made for m in r.messages]
    assert 4.5 <= len(messages) / len(made) <= 5.5
    assert len({r.case[8] for r in made}) == len(made)  # reply tokens unique
    for r in made:
        contact = contacts[r.case[2]]
        assert r.case[1] == contact[1]  # the case's brand is its contact's brand
        assert r.case[6] == contact[3]  # and its language
        owner_brand = (r.case[3] - 1) // spec.agents_per_brand + 1
        assert owner_brand == r.case[1]  # owned by an agent of that brand
        assert all(m[1] == r.case[0] and m[2] == r.case[1] for m in r.messages)
    assert {r.case[6] for r in made} == {"de", "en"}


def _dump(path: str) -> list:
    with sqlite3.connect(path) as db:
        return [
            db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()  # noqa: S608 - fixed table names
            for table in ("core_brand", "core_contact", "core_identity", "core_case", "core_message")
        ]


@pytest.mark.slow
def test_generate_sqlite_twice_gives_identical_tables(tmp_path):
    dumps = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        [line] = run_script(
            "generate.py", "--cases", "40", "--brands", "2", "--agents-per-brand", "3", "--database-url", url
        )
        assert fields(line)["cases"] == "40" and fields(line)["db"] == "sqlite"
        dumps.append(_dump(str(tmp_path / f"{name}.sqlite3")))
    assert dumps[0] == dumps[1]
    assert len(dumps[0][3]) == 40


@pytest.mark.slow
def test_generate_postgres_tiny(postgres_url):
    [line] = run_script(
        "generate.py", "--cases", "50", "--brands", "2", "--agents-per-brand", "3", "--database-url", postgres_url
    )
    result = fields(line)
    assert result["db"] == "postgresql" and result["cases"] == "50" and int(result["messages"]) > 150
    import psycopg

    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT count(*) FROM core_message WHERE search_tsv IS NOT NULL").fetchone()[0] > 100
        # Indexes dropped for the load are all back.
        names = {r[0] for r in db.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'core_message'")}
        assert {"search_message_brand_recent_tsv_idx", "message_case_created_idx"} <= names
