"""The `anliegen` command: its own commands first, Django's by name, `manage …` passed through, good manners."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.runtime.test_cli_serve import embedded_env

README = Path(__file__).resolve().parents[2] / "README.md"


def anliegen(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "anliegen", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def without_data_dir() -> dict[str, str]:
    env = embedded_env(Path("/nonexistent"))
    del env["ANLIEGEN_DATA_DIR"]
    return env


@pytest.mark.parametrize("args", [(), ("--help",), ("help",), ("-h",)])
def test_help_lists_anliegens_commands_first_and_writes_nothing(tmp_path, args):
    done = anliegen(without_data_dir(), *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Anliegen 0.")
    own, django = out.split("Django's commands")
    for command in ("serve", "demo", "web", "worker", "smtpd", "intake", "promises"):
        assert re.search(rf"^  {command} +\S", own, re.M), command
    assert "migrate" not in own and "createsuperuser" in django and "migrate," in django
    assert list(tmp_path.iterdir()) == []  # no ./var, no secret key


def test_every_readme_command_is_listed():
    table = README.read_text().split("| command | what it does |")[1].split("\n\n")[0]
    rows = [row for row in table.splitlines() if "`anliegen manage" not in row]
    named = set(re.findall(r"`anliegen ([a-z]+)", "\n".join(rows)))
    assert {"fetchmail", "promises", "serve"} <= named
    listed = anliegen(without_data_dir(), "--help").stdout.split("Django's commands")[0]
    for command in named:
        assert f"  {command} " in listed, command


def test_version_and_read_only_commands_write_nothing(tmp_path):
    done = anliegen(without_data_dir(), "--version", cwd=tmp_path)
    assert done.returncode == 0 and re.fullmatch(r"anliegen \d+\.\d+\.\d+\n", done.stdout), done.stdout
    assert anliegen(without_data_dir(), "check", cwd=tmp_path).returncode == 0
    assert anliegen(without_data_dir(), "serve", "--help", cwd=tmp_path).returncode == 0
    assert anliegen(without_data_dir(), "makemigrations", "--check", "--dry-run", cwd=tmp_path).returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_a_command_that_runs_the_product_makes_the_key_in_the_data_directory(tmp_path):
    data_dir = tmp_path / "data"
    done = anliegen(embedded_env(data_dir), "migrate", "--noinput", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    key = data_dir / "secret_key"
    assert len(key.read_text()) >= 50
    assert key.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_closed_pipe_ends_quietly(tmp_path):
    read, write = os.pipe()
    os.close(read)  # like `| head` that has already gone
    proc = subprocess.run(
        [sys.executable, "-m", "anliegen", "--help"],
        env=without_data_dir(),
        cwd=tmp_path,
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    os.close(write)
    assert proc.returncode != 0
    assert "BrokenPipeError" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_manage_passes_through_to_django(tmp_path):
    done = anliegen(embedded_env(tmp_path), "manage", "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
