"""`anliegen agent add|list`: create an agent with a login from a script, or list a brand's agents."""

from __future__ import annotations

import secrets
import sys
from argparse import ArgumentParser

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anliegen.core.models import Agent, Brand, Membership
from anliegen.core.setup import authority_from, create_agent, parse_list


def add_agent_arguments(parser: ArgumentParser, prefix: str = "") -> None:
    """The agent's options, shared with `anliegen setup`."""
    parser.add_argument(f"--{prefix}name", required=not prefix, help="full name, as customers read it")
    parser.add_argument(f"--{prefix}email", default="", help="default: <username>@<brand mail domain>")
    parser.add_argument(f"--{prefix}extension", default="", help="direct phone extension, e.g. 301")
    parser.add_argument(f"--{prefix}languages", default="de", help="languages spoken, e.g. de,en (de)")
    parser.add_argument(f"--{prefix}skills", default="", help="e.g. tv,internet,billing")
    parser.add_argument(f"--{prefix}credit-limit", default=None, help="credit the agent may grant alone, in EUR")
    parser.add_argument(f"--{prefix}may-replace-device", action="store_true", help="may decide a device replacement")
    parser.add_argument(f"--{prefix}may-cancel-contract", action="store_true", help="may decide a cancellation")
    parser.add_argument(
        f"--{prefix}password-stdin", action="store_true", help="read the password from the first line of stdin"
    )


def read_password(from_stdin: bool, username: str) -> tuple[str, bool]:
    """The password from stdin, or a generated one; True when generated (the caller prints it once)."""
    if not from_stdin:
        return secrets.token_urlsafe(12), True
    password = sys.stdin.readline().rstrip("\r\n")
    user = get_user_model()(username=username)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise CommandError("the password is refused: " + " ".join(exc.messages)) from exc
    return password, False


def agent_from(
    username: str, brands: list[Brand], role: str, opts: dict, prefix: str = "", password: str = "", **extra: bool
) -> Agent:
    """Validate and create the agent the options describe (`prefix` as in add_agent_arguments)."""

    def opt(name: str) -> object:
        return opts[f"{prefix.replace('-', '_')}{name}"]

    if get_user_model().objects.filter(username=username).exists() or Agent.objects.filter(mailbox=username).exists():
        raise CommandError(f"the username {username!r} is taken")
    try:
        authority = authority_from(
            opt("credit_limit"), bool(opt("may_replace_device")), bool(opt("may_cancel_contract"))
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    generated = False
    if not password:
        password, generated = read_password(bool(opt("password_stdin")), username)
    agent = create_agent(
        brands,
        username,
        str(opt("name")),
        password,
        email=str(opt("email")),
        role=role,
        languages=parse_list(str(opt("languages"))) or ["de"],
        extension=str(opt("extension")),
        authority=authority,
        skills=parse_list(str(opt("skills"))),
        **extra,
    )
    agent.generated_password = password if generated else ""
    return agent


class Command(BaseCommand):
    help = "Create an agent (a login with extension, languages, skills and authority) without prompts, or list them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an agent; the password comes from stdin or is generated and shown")
        add.add_argument("username", help="login name, also the mailbox of the direct address (<username>+…@domain)")
        add.add_argument("--brand", action="append", required=True, help="brand slug (repeat for several brands)")
        add.add_argument("--role", default="agent", choices=Membership.Role.values, help="role in these brands")
        add_agent_arguments(add)
        listing = sub.add_parser("list", help="the agents of a brand (or of all)")
        listing.add_argument("--brand", default="", help="brand slug")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["action"] == "list":
            self._list(str(opts["brand"]))
            return
        slugs = list(dict.fromkeys(opts["brand"]))
        brands = list(Brand.objects.filter(slug__in=slugs))
        missing = set(slugs) - {b.slug for b in brands}
        if missing:
            raise CommandError(f"no brand {', '.join(sorted(missing))} (see `anliegen brand list`)")
        role = str(opts["role"])
        # Brand admins manage their brands in /admin/ (scoped to them); only `setup` makes a superuser.
        agent = agent_from(str(opts["username"]), brands, role, opts, staff=role == "admin", superuser=False)
        where = ", ".join(b.name for b in brands)
        self.stdout.write(f"Agent {agent.name} ({agent.user.username}, {role}) in {where}.")
        if agent.generated_password:
            self.stdout.write(f"Password (shown once, pass it on safely): {agent.generated_password}")

    def _list(self, slug: str) -> None:
        memberships = Membership.objects.select_related("agent__user", "brand").order_by("brand__slug", "agent__name")
        if slug:
            memberships = memberships.filter(brand__slug=slug)
        for m in memberships:
            a = m.agent
            self.stdout.write(
                f"{m.brand.slug:<16} {a.user.username:<14} {a.name:<24} {m.role:<10} "
                f"ext {a.extension or '-':<6} {','.join(a.languages)}"
            )
