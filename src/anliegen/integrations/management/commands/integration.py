"""`anliegen integration create NAME --brand SLUG… --scope read…` (token shown once), `revoke PREFIX`, `list`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anliegen.core.models import Brand
from anliegen.integrations import tokens
from anliegen.integrations.models import Integration, Scope


class Command(BaseCommand):
    help = "Create (the token is shown once), revoke or list the API tokens of integrations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("name", help="what the integration is, e.g. 'CRM'")
        create.add_argument("--brand", action="append", required=True, help="brand slug (repeat for more)")
        create.add_argument("--scope", action="append", choices=Scope.values, help="read, write, admin (default read)")
        create.add_argument("--rate", default="600/m", help="requests per token, e.g. 600/m")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        sub.add_parser("list")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "create":
            slugs = list(options["brand"])
            brands = list(Brand.objects.filter(slug__in=slugs))
            missing = set(slugs) - {b.slug for b in brands}
            if missing:
                raise CommandError(f"no brand {', '.join(sorted(missing))}")
            try:
                integration, token = tokens.issue(
                    str(options["name"]), brands, options["scope"] or [Scope.READ], str(options["rate"])
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(token)
            self.stderr.write(f"Token {integration.prefix} ({', '.join(integration.scopes)}): shown this once.")
        elif action == "revoke":
            if not tokens.revoke(str(options["prefix"])):
                raise CommandError(f"no active token {options['prefix']!r}")
            self.stdout.write(f"revoked {options['prefix']}")
        else:
            for found in Integration.objects.prefetch_related("brands").order_by("pk"):
                state = f"revoked {found.revoked_at:%Y-%m-%d}" if found.revoked_at else "active"
                slugs = ",".join(b.slug for b in found.brands.all())
                self.stdout.write(f"{found.prefix}  {found.name:<20} {slugs:<20} {','.join(found.scopes)}  ({state})")
