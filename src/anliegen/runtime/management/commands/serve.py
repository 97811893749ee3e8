"""`anliegen serve`: the whole product in one process on this machine, with a demo brand to try it."""

from __future__ import annotations

import sys
from argparse import ArgumentParser

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from anliegen.core.models import Agent, Brand
from anliegen.runtime import demo, processes


def web_address(host: str, port: int) -> str:
    """Where a browser on this machine reaches the server (a wildcard address is reached on loopback)."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Run web server, workers and inbound SMTP in one process (embedded mode), with demo data unless --no-demo."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="web port (default: 8000)")
        parser.add_argument(
            "--smtp-port", type=int, default=settings.SMTPD_PORT, help="inbound SMTP port (0 = no SMTP listener)"
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="no demo brand, logins or cases (a real installation: see `anliegen setup`)",
        )
        parser.add_argument("--access-log", action="store_true", help="log every HTTP request")

    def handle(self, *args: object, **opts: object) -> None:
        host, port, smtp_port = str(opts["host"]), int(opts["port"]), int(opts["smtp_port"])
        self.stdout.write("Preparing the database …")
        call_command("migrate", interactive=False, verbosity=0)
        if opts["no_demo"]:
            # A real installation: nothing is made here, least of all a login with a known password.
            brand, logins = Brand.objects.order_by("pk").first(), []
        else:
            brand, logins = demo.ensure_brand()
            created = demo.load_cases(brand)
            if created:
                self.stdout.write(f"Loaded {created} demo cases.")
        if not settings.BASE_URL_SET:
            # Links in mail point where this server listens (./run --port 8100 mails :8100 links).
            settings.BASE_URL = web_address(host, port)
        # With Redis the desk's pushes cross processes, so the task worker may run beside this one on the other
        # core; without it, its pushes (service-level alarms, promises) only reach sockets of this process.
        bg = processes.Background(tasks_process=bool(settings.REDIS_URL))
        bg.start()
        smtpd = processes.start_smtpd(host, smtp_port) if smtp_port else None
        config = processes.web_config(host, port, access_log=bool(opts["access_log"]))
        banner = self._banner(host, port, smtp_port if smtpd else 0, brand, logins)
        try:
            code = processes.run_web(config, on_started=lambda: self._print(banner), bg=bg)
        finally:
            if smtpd is not None:
                smtpd.stop()
        if code:
            self.stderr.write(f"The web server could not start on {host}:{port} (see above); try another --port.")
            sys.exit(code)
        self.stdout.write("Anliegen stopped.")

    def _print(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _banner(self, host: str, port: int, smtp_port: int, brand: Brand | None, logins: list[demo.Login]) -> str:
        web = web_address(host, port)
        mail_out = (
            f"sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
            if settings.EMAIL_HOST
            else "captured in the desk outbox (set ANLIEGEN_SMTP_HOST to send for real)"
        )
        domain = f"*@{brand.mail_domain}" if brand else "a brand's domain"
        smtp = f"{host}:{smtp_port} (mail to {domain} becomes a case)" if smtp_port else "not running"
        form = f"{web}{demo.form_path(brand)}" if brand else "none yet: `anliegen setup` creates the first brand"
        lines = [
            "",
            "Anliegen is running (embedded mode). Press Ctrl-C to stop.",
            f"  Agent desk:      {web}/desk/",
            f"  Contact form:    {form}",
            f"  Admin:           {web}/admin/",
            f"  Inbound SMTP:    {smtp}",
            f"  Outgoing mail:   {mail_out}",
            f"  Data directory:  {settings.DATA_DIR}",
            f"  Database:        {demo.database_label()}",
            "",
        ]
        if brand is not None:
            lines.insert(4, f"  Chat demo page:  {web}/channels/chat/{brand.slug}/demo/")
        if logins and brand is not None:
            lines.append(f"Demo logins for {brand.name} (demo passwords, for trying it out only):")
            for login in logins:
                lines.append(f"  {login.username:<8} {login.password:<16} {login.name} — {login.role}")
        elif not Agent.objects.exists():
            lines.append("No agent yet: run `anliegen setup` to create the first brand and its admin.")
        else:
            lines.append("Sign in with your agent account (the first admin comes from `anliegen setup`).")
        lines.append("")
        return "\n".join(lines)
