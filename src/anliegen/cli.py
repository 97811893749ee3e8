"""The `anliegen` command: every subcommand is a Django management command (`anliegen manage ...` too)."""

from __future__ import annotations

import os
import sys
import textwrap

# Anliegen's own commands in the order a new user meets them; any other command of ours follows.
OWN_ORDER = [
    "setup",
    "serve",
    "demo",
    "brand",
    "agent",
    "team",
    "web",
    "worker",
    "smtpd",
    "mailgate",
    "import",
    "fetchmail",
    "intake",
    "promises",
]
HELP_WORDS = {"help", "--help", "-h"}
# Commands that only read, or work on the source tree: they must not prepare a data directory (no ./var, no key).
READ_ONLY = {"check", "diffsettings", "showmigrations", "sqlmigrate", "version"}
SOURCE_TREE = {"compilemessages", "makemessages", "makemigrations", "squashmigrations", "optimizemigration"}


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("anliegen")
    except PackageNotFoundError:
        return "unknown"


def writes_nothing(args: list[str]) -> bool:
    if not args or args[0] in HELP_WORDS | READ_ONLY | SOURCE_TREE or args[0] == "--version":
        return True
    if "--help" in args or "-h" in args:
        return True
    return args[:2] == ["intake", "status"]


def overview() -> str:
    """`anliegen --help`: Anliegen's commands with what they do, then Django's by name."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    commands = get_commands()
    own = sorted(
        (name for name, app in commands.items() if app.startswith("anliegen")),
        key=lambda name: (OWN_ORDER.index(name) if name in OWN_ORDER else len(OWN_ORDER), name),
    )
    width = max(len(name) for name in own) + 2
    lines = [
        f"Anliegen {version()}: omnichannel customer service.",
        "",
        "Usage: anliegen <command> [options]   (anliegen <command> --help shows its options)",
        "",
        "Anliegen's commands:",
    ]
    for name in own:
        summary = (load_command_class(commands[name], name).help or "").strip().split("\n")[0]
        lines.append(f"  {name:<{width}}{summary}")
    others = sorted(name for name, app in commands.items() if not app.startswith("anliegen"))
    lines += ["", "Django's commands (also as `anliegen manage <command>`), e.g. createsuperuser, migrate:"]
    lines += textwrap.wrap(", ".join(others), width=100, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines) + "\n"


def run(args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")
    if args and args[0] == "manage":
        args = args[1:]
    if args[:1] == ["--version"]:
        sys.stdout.write(f"anliegen {version()}\n")
        return
    if not args or (args[0] in HELP_WORDS and len(args) == 1):
        sys.stdout.write(overview())
        return
    if not writes_nothing(args):
        from anliegen import datadir

        datadir.prepare()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["anliegen", *args])


def main() -> None:
    try:
        run(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, and keep Python from complaining at exit too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
