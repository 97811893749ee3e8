"""`anliegen import`: bring mail from .eml files, Maildir folders and mbox files into the product."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Import .eml files, Maildir folders and mbox files, oldest first; running it twice imports nothing twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help=".eml file, folder of .eml, Maildir or mbox")
        parser.add_argument("--brand", default="", help="brand slug for mail whose recipient names no brand")
        parser.add_argument("--no-acknowledge", action="store_true", help="send no confirmations (migrating old mail)")
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    def handle(self, *args: object, **options: object) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from anliegen.channels.email.importer import import_mail
        from anliegen.core.models import Brand
        from anliegen.intake.warmup import warm_up

        warm_up()  # the one-offs (URL configuration, catalogues, templates) before the first mail

        brand_id = None
        if options["brand"]:
            brand_id = Brand.objects.filter(slug=options["brand"]).values_list("id", flat=True).first()
            if brand_id is None:
                raise CommandError(_("No brand with the slug %(slug)s.") % {"slug": options["brand"]})
        columns = (TextColumn(_("importing")), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, transient=True, disable=bool(options["json"])) as bar:
            task = bar.add_task("import", total=None)

            def advance(n: int, total: int) -> None:
                bar.update(task, advance=n, total=total)

            try:
                summary = import_mail(
                    list(options["paths"]), brand_id, acknowledge=not options["no_acknowledge"], progress=advance
                )
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from exc
        data = summary.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(_("Found %(n)d messages.") % {"n": data["found"]})
        self.stdout.write(_("Imported: %(n)d") % {"n": data["imported"]})
        self.stdout.write(_("Duplicates skipped: %(n)d") % {"n": data["duplicates_skipped"]})
        self.stdout.write(_("Automatic (not acknowledged): %(n)d") % {"n": data["automatic"]})
        if data["unreadable"]:
            self.stdout.write(_("Unreadable files: %(n)d") % {"n": data["unreadable"]})
        self.stdout.write(_("Quarantined: %(n)d") % {"n": data["quarantined"]})
        for reason, count in data["quarantined_by_reason"].items():
            self.stdout.write(f"  {count:6d}  {reason}")
