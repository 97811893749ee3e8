"""The data directory of an installation: where it is, and preparing it (the directory and the signing key).

Settings only read it; the `anliegen` command prepares it before a command that runs the product, so help
and read-only commands leave no trace in the current directory.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

KEY_FILE = "secret_key"
DATABASE_FILE = "anliegen.sqlite3"


def location() -> Path:
    return Path(os.environ.get("ANLIEGEN_DATA_DIR", Path.cwd() / "var")).resolve()


def stored_key(data_dir: Path) -> str:
    """The generated key kept in the data directory, or "" when there is none yet."""
    try:
        return (data_dir / KEY_FILE).read_text().strip()
    except FileNotFoundError:
        return ""


def prepare(data_dir: Path | None = None) -> Path:
    """Make the data directory, its signing key (unless ANLIEGEN_SECRET_KEY is set) and the embedded SQLite file,
    each readable by us alone."""
    data_dir = data_dir or location()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_file = data_dir / KEY_FILE
    if not os.environ.get("ANLIEGEN_SECRET_KEY") and not key_file.exists():
        # Written whole under a private name, then linked into place: two processes starting at once keep the
        # first key, and nobody ever reads a half-written one.
        draft = data_dir / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    if not os.environ.get("DATABASE_URL"):
        # An empty file is an empty database: made readable by us alone before SQLite opens it, and SQLite
        # gives its -wal and -shm files the same mode.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(data_dir / DATABASE_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return data_dir
