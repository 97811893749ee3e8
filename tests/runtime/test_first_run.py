"""A real installation as a new user meets it, in Chromium: empty database -> `anliegen setup` (brand and admin)
-> the admin adds an agent in /admin/ -> a customer uses the contact form -> the agent signs in and answers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.browser import chromium_page

from .test_cli_serve import embedded_env, serving, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN_PASSWORD = "Erster-Start-2026"
AGENT_PASSWORD = "Paula-am-Telefon-7"


def setup_installation(data_dir) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "anliegen",
            "setup",
            "--noinput",
            "--brand-name=Stadtwerk Nord",
            "--brand-slug=stadtwerk",
            "--brand-mail-domain=stadtwerk.example",
            "--brand-hotline=+49 40 123456",
            "--admin-username=chris",
            "--admin-name=Chris Weber",
            "--admin-languages=en",
            "--admin-password-stdin",
        ],
        input=ADMIN_PASSWORD + "\n",
        env=embedded_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def captured(db, address: str, text: str) -> bool:
    with sqlite3.connect(db, timeout=10) as conn:
        rows = conn.execute(
            "SELECT raw FROM channel_email_capturedmail WHERE recipients LIKE ?", (f"%{address}%",)
        ).fetchall()
    return any(text.encode() in bytes(raw) for (raw,) in rows)


def test_from_an_empty_database_to_an_answered_case(tmp_path, monkeypatch):
    data_dir = tmp_path / "var"
    assert "Set up Stadtwerk Nord" in setup_installation(data_dir)
    with serving(data_dir, tmp_path / "serve.log", "--no-demo") as (_proc, port, _smtp):
        base = f"http://127.0.0.1:{port}"
        banner = (tmp_path / "serve.log").read_text()
        assert f"{base}/stadtwerk/contact/" in banner and "-demo" not in banner
        with chromium_page(monkeypatch, locale="de-DE") as page:
            # The admin signs in to /admin/ and adds the first agent.
            page.goto(f"{base}/admin/")
            page.fill("#id_username", "chris")
            page.fill("#id_password", ADMIN_PASSWORD)
            page.click("[type=submit]")  # the desk's sign-in (with its second factor) serves /admin/ too
            page.wait_for_selector("#content-main")
            page.goto(f"{base}/admin/core/agent/add/")
            page.fill("#id_username", "paula")
            page.fill("#id_password", AGENT_PASSWORD)
            page.select_option("#id_brand", label="Stadtwerk Nord")
            page.fill("#id_name", "Paula Neumann")
            page.fill("#id_extension", "205")
            page.fill("#id_languages", "de, en")
            page.fill("#id_credit_max", "50")
            page.select_option("#id_presence", "online")
            page.click("input[name=_save]")
            page.wait_for_selector("text=Paula Neumann")
            assert "/admin/core/agent/" in page.url and "add" not in page.url

            # A customer writes through the contact form; the thanks page names the new agent.
            page.context.clear_cookies()
            page.goto(f"{base}/stadtwerk/contact/")
            page.fill("#id_name", "Jana Krüger")
            page.fill("#id_email", "jana@example.org")
            page.fill("#id_subject", "Abschlag zu hoch")
            page.fill("#id_text", "Mein Abschlag wurde verdoppelt, bitte prüfen Sie das.")
            page.click("button[type=submit]")
            page.wait_for_selector("h1:has-text('Paula Neumann')", timeout=30_000)
            assert "205" in page.inner_text("main")

            # The agent signs in to the desk, opens the case and answers.
            page.context.clear_cookies()
            page.goto(f"{base}/desk/")
            page.fill("#id_username", "paula")
            page.fill("#id_password", AGENT_PASSWORD)
            page.click("button[type=submit]")
            page.click("text=Abschlag zu hoch")
            page.wait_for_selector("#timeline")
            page.fill("#id_text", "Ich habe den Abschlag korrigiert: ab März wieder 80 Euro.")
            page.click(".composer button[type=submit]")
            page.wait_for_selector("#timeline >> text=ab März wieder 80 Euro", timeout=15_000)

        db = data_dir / "anliegen.sqlite3"
        wait_for(lambda: captured(db, "jana@example.org", "Paula Neumann"), 30, "the confirmation")
        # The answer is mailed with a case link to this server's port.
        wait_for(lambda: captured(db, "jana@example.org", f"127.0.0.1:{port}/c/"), 30, "a link to this port")
        wait_for(lambda: captured(db, "jana@example.org", "korrigiert"), 30, "the answer")
