"""`anliegen brand add|list`: create a client company from a script, or list them."""

from __future__ import annotations

import re
from argparse import ArgumentParser

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from anliegen.core.models import Brand
from anliegen.core.setup import check_mail_domain, create_brand, parse_list, parse_service_hours


def add_brand_arguments(parser: ArgumentParser, prefix: str = "") -> None:
    """The brand's options, shared with `anliegen setup`."""
    parser.add_argument(f"--{prefix}name", required=not prefix, help="the name customers see, e.g. 'Stadtwerk Nord'")
    parser.add_argument(f"--{prefix}mail-domain", required=not prefix, help="mail to any address here becomes a case")
    parser.add_argument(f"--{prefix}support-address", default="", help="default: service@<mail domain>")
    parser.add_argument(f"--{prefix}hotline", default="", help="phone number named in confirmations")
    parser.add_argument(f"--{prefix}language", default="de", choices=["de", "en"], help="default language (de)")
    parser.add_argument(f"--{prefix}languages", default="de,en", help="languages the team answers in (de,en)")
    parser.add_argument(f"--{prefix}region", default="DE", help="country of phone numbers without +code (DE)")
    parser.add_argument(
        f"--{prefix}answer-within", type=int, default=24, help="hours (of service time) promised for an answer (24)"
    )
    parser.add_argument(
        f"--{prefix}service-hours", default="mon-fri 08:00-18:00", help='e.g. "mon-sat 07:30-20:00" or "always"'
    )


def brand_from(slug: str, opts: dict, prefix: str = "") -> Brand:
    """Validate and create the brand the options describe; CommandError with the reason otherwise."""

    def opt(name: str) -> object:
        return opts[f"{prefix.replace('-', '_')}{name}"]

    try:
        check_mail_domain(str(opt("mail_domain")).lower())
        fields = {
            "hotline": opt("hotline"),
            "default_language": opt("language"),
            "languages": parse_list(str(opt("languages"))) or [str(opt("language"))],
            "default_region": str(opt("region")).upper(),
            "answer_within_hours": opt("answer_within"),
            "service_hours": parse_service_hours(str(opt("service_hours"))),
        }
        if opt("support_address"):
            fields["support_address"] = opt("support_address")
        candidate = Brand(slug=slug, name=opt("name"), mail_domain=str(opt("mail_domain")).lower(), **fields)
        candidate.support_address = candidate.support_address or f"service@{candidate.mail_domain}"
        if candidate.default_language not in candidate.languages:
            raise ValueError(f"the default language {candidate.default_language} is not among --languages")
        if not re.fullmatch(r"[A-Z]{2}", candidate.default_region):
            raise ValueError(f"--region is a two-letter country code such as DE, not {candidate.default_region!r}")
        candidate.full_clean(exclude=["default_owner"])
        return create_brand(candidate.slug, candidate.name, candidate.mail_domain, **fields)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    except ValidationError as exc:
        raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    except IntegrityError as exc:
        raise CommandError(f"a brand with this slug or mail domain exists already ({exc})") from exc


class Command(BaseCommand):
    help = "Create a brand (a client company) without prompts, or list the brands."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a brand")
        add.add_argument("slug", help="short name in URLs, e.g. stadtwerk (/stadtwerk/contact/)")
        add_brand_arguments(add)
        sub.add_parser("list", help="slug, name, mail domain and agents of every brand")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["action"] == "list":
            for brand in Brand.objects.order_by("slug"):
                agents = ", ".join(brand.agents.order_by("mailbox").values_list("mailbox", flat=True)) or "no agents"
                self.stdout.write(f"{brand.slug:<16} {brand.name:<28} {brand.mail_domain:<28} {agents}")
            return
        brand = brand_from(str(opts["slug"]), opts)
        self.stdout.write(
            f"Brand {brand.name} ({brand.slug}): mail to *@{brand.mail_domain}, contact form /{brand.slug}/contact/. "
            f"Next: anliegen agent add USERNAME --brand {brand.slug} --name '…'"
        )
