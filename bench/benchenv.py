"""Pointing Django at a bench database: a fresh PostgreSQL database (dropped and created) or an SQLite file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/anliegen_bench"
BENCH_PASSWORD = "bench-pass-1"  # every generated agent's password; the desk benchmark signs in with it


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def recreate(url: str) -> None:
    """Drop and create the bench database (PostgreSQL) or delete the SQLite file; refuses names without 'bench'."""
    if is_postgres(url):
        import psycopg

        name = urlparse(url).path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"ERROR: refusing to drop database {name!r}: its name must contain 'bench'")
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
            # Scoped to this database only: room for sorts and index builds of a million-row data set.
            conn.execute(f"ALTER DATABASE \"{name}\" SET work_mem = '16MB'")
    else:
        path = Path(urlparse(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)


def setup(url: str, data_dir: str = "/tmp/anliegen-bench") -> None:
    """Configure and set up Django for the given database (call before importing anliegen models)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ANLIEGEN_DATA_DIR", data_dir)
    os.environ.setdefault("ANLIEGEN_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")
    import django

    from anliegen import datadir

    datadir.prepare()  # the same data directory and key as the `anliegen` processes the bench starts

    django.setup()


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"
