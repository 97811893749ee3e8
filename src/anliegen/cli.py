"""The `anliegen` command: every subcommand is a Django management command (`anliegen manage ...` too)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and args[0] == "manage":
        args = args[1:]
    if not args:
        args = ["help", "--commands"]
        print(
            "Anliegen. Common commands: serve, demo, web, worker, smtpd, mailgate, import, fetchmail, intake, promises."
        )
    execute_from_command_line(["anliegen", *args])


if __name__ == "__main__":
    main()
