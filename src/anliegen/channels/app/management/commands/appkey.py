"""`anliegen appkey create BRAND NAME | revoke PREFIX | list`: API keys for a brand's apps."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anliegen.channels.app import keys
from anliegen.channels.app.models import AppKey
from anliegen.core.models import Brand


class Command(BaseCommand):
    help = "Create (shown once), revoke or list the API keys a brand's apps send in-app reports with."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("brand", help="brand slug")
        create.add_argument("name", help="what the key is for, e.g. 'iOS app'")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        sub.add_parser("list")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "create":
            brand = Brand.objects.filter(slug=options["brand"]).first()
            if brand is None:
                raise CommandError(f"no brand {options['brand']!r}")
            key, plain = keys.issue(brand, str(options["name"]))
            self.stdout.write(plain)
            self.stderr.write(f"Key {key.prefix} for {brand.slug}: shown this once, only its hash is kept.")
        elif action == "revoke":
            if not keys.revoke(str(options["prefix"])):
                raise CommandError(f"no active key {options['prefix']!r}")
            self.stdout.write(f"revoked {options['prefix']}")
        else:
            for key in AppKey.objects.select_related("brand").order_by("brand__slug", "pk"):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                self.stdout.write(f"{key.prefix}  {key.brand.slug:<16} {key.name}  ({state})")
