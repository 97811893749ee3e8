"""`anliegen setup`: the first run of a real installation, from an empty database to a brand and its admin."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anliegen.core.management.commands.agent import add_agent_arguments, agent_from, read_password
from anliegen.core.management.commands.brand import add_brand_arguments, brand_from
from anliegen.core.models import Brand

# What the questions ask for, in order: (option dest, question, example).
QUESTIONS = [
    ("brand_name", "Company (brand) name", "Stadtwerk Nord"),
    ("brand_slug", "Short name for URLs", "stadtwerk"),
    ("brand_mail_domain", "Mail domain (mail to *@domain becomes a case)", "stadtwerk.example"),
    ("admin_name", "Your full name", "Anna Schmidt"),
    ("admin_username", "Your username", "anna"),
]


class Command(BaseCommand):
    help = "First run: prepare the database, create the first brand and its admin agent (asks, or --noinput)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="ask nothing")
        parser.add_argument("--brand-slug", default="", help="short name in URLs, e.g. stadtwerk")
        add_brand_arguments(parser, prefix="brand-")
        parser.add_argument("--admin-username", default="", help="the first admin's login")
        add_agent_arguments(parser, prefix="admin-")

    def handle(self, *args: object, **opts: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if Brand.objects.exists():
            raise CommandError(
                "this installation has a brand already: add more with `anliegen brand add` and "
                "`anliegen agent add`, or in /admin/"
            )
        interactive = bool(opts["interactive"])
        for dest, question, example in QUESTIONS:
            if not opts[dest]:
                if not interactive:
                    raise CommandError(f"--{dest.replace('_', '-')} is needed with --noinput (e.g. {example!r})")
                opts[dest] = self._ask(question, example)
        password = self._password(opts, interactive)
        with transaction.atomic():
            brand = brand_from(str(opts["brand_slug"]), opts, prefix="brand-")
            admin = agent_from(
                str(opts["admin_username"]),
                [brand],
                "admin",
                opts,
                prefix="admin-",
                password=password,
                staff=True,
                superuser=True,
            )
        self.stdout.write(
            "\n".join(
                [
                    f"Set up {brand.name}: {admin.name} ({admin.user.username}) is its admin and first owner.",
                    f"  Contact form:  /{brand.slug}/contact/",
                    "  Agent desk:    /desk/        Admin: /admin/ (more agents, teams' memberships, incidents)",
                    f"  Mail to *@{brand.mail_domain} becomes a case once the domain's mail reaches `anliegen smtpd`.",
                    "Start it with `anliegen serve --no-demo`.",
                ]
            )
        )

    def _ask(self, question: str, example: str) -> str:
        while True:
            answer = input(f"{question} (e.g. {example}): ").strip()
            if answer:
                return answer

    def _password(self, opts: dict, interactive: bool) -> str:
        username = str(opts["admin_username"])
        if opts["admin_password_stdin"]:
            return read_password(True, username)[0]
        if not interactive or not sys.stdin.isatty():
            raise CommandError("give the admin's password on stdin with --admin-password-stdin")
        while True:
            password = getpass.getpass("Your password: ")
            if password != getpass.getpass("Again: "):
                self.stderr.write("The two do not match.")
                continue
            try:
                password_validation.validate_password(password, get_user_model()(username=username))
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            return password
