"""The `anliegen` command: lists the common commands and passes `manage …` through to Django."""

from __future__ import annotations

import subprocess
import sys

from .test_cli_serve import embedded_env


def test_no_arguments_lists_the_commands(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "anliegen"], env=embedded_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0
    assert "Common commands: serve, demo, web, worker, smtpd" in done.stdout
    listed = done.stdout.split()
    for command in ("serve", "demo", "web", "worker", "intake", "migrate"):
        assert command in listed


def test_manage_passes_through_to_django(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "anliegen", "manage", "check"],
        env=embedded_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
