"""Fixtures of the e-mail tests: real SMTP sinks, a private Dovecot, the sample messages."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The shared mail corpus sits beside the checkout (src/anliegen/channels/email/tests -> the checkout's parent).
CORPUS = Path(__file__).resolve().parents[6] / "shared" / "corpus" / "email"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SinkHandler:
    """A real SMTP server's handler: answers 451 for the first `fail` messages, then keeps them."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.attempts = 0
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.peers: set[tuple] = set()  # one (host, port) per SMTP connection the product opened

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        self.attempts += 1
        self.peers.add(session.peer)
        if self.attempts <= self.fail:
            return "451 4.3.0 try again later"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings) -> Iterator[SinkHandler]:
    """An aiosmtpd server on a free loopback port; the product's mail goes there over real SMTP."""
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_agent_cache() -> None:
    from anliegen.intake.stages import detect_automatic

    detect_automatic._agents.clear()


DOVECOT_CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{base}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
"""


@pytest.fixture
def dovecot() -> Iterator[dict]:
    """A private Dovecot on a free 127.0.0.1 port, user `service` / `secret`; stopped afterwards."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(binary):
        pytest.skip("Dovecot is not installed")
    base = Path(tempfile.mkdtemp(prefix="anliegen-dovecot-"))
    os.chmod(base, 0o755)  # noqa: S103 - the dovecot user must reach its mail below it
    user = pwd.getpwnam("dovecot")
    for sub in ("mail", "home"):
        (base / sub).mkdir()
        os.chown(base / sub, user.pw_uid, user.pw_gid)
    port = free_port()
    (base / "users").write_text("service:{PLAIN}secret::::::\n")
    conf = base / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(base=base, port=port, uid=user.pw_uid, gid=user.pw_gid))
    proc = subprocess.Popen([binary, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"dovecot did not start: {proc.stdout.read().decode()}")
                time.sleep(0.05)
        yield {"host": "127.0.0.1", "port": port, "user": "service", "password": "secret", "base": base}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(base, ignore_errors=True)


def deliver(raw: bytes, *rcpts: str, **meta: object):  # noqa: ANN201 - returns the Inbound
    """Store a mail as the listener would (eager intake processes it at once) and return its Inbound."""
    from anliegen.channels.email.inbound import BrandDomains, items_for, store
    from anliegen.intake.models import Inbound

    rcpts = rcpts or ("service@stadtwerk.example",)
    domains = BrandDomains()
    accepted = store(items_for(raw, list(rcpts), [domains.brand_id(r) for r in rcpts], **meta))
    return Inbound.objects.get(pk=accepted[0].inbound_id)


def mail(
    subject: str = "Stromzähler defekt",
    body: str = "Mein Zähler zeigt nichts mehr an.",
    sender: str = "Jana Krüger <jana@example.org>",
    to: str = "service@stadtwerk.example",
    message_id: str = "",
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain customer mail as a real client writes it."""
    from email.message import EmailMessage
    from email.utils import make_msgid

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = "Mon, 04 May 2026 10:00:00 +0200"
    msg["Message-ID"] = message_id or make_msgid(domain="example.org")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    from email import policy

    return msg.as_bytes(policy=policy.SMTP)  # CRLF, as on the wire
