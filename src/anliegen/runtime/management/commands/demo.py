"""`anliegen demo`: create the demo brand, its agents and the demo cases (safe to run again)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from anliegen.runtime import demo


class Command(BaseCommand):
    help = "Load the demo brand, three demo agents, an active incident and demo cases in German and English."

    def handle(self, *args: object, **opts: object) -> None:
        brand, logins = demo.ensure_brand()
        created = demo.load_cases(brand)
        self.stdout.write(f"{brand.name}: {created} new demo cases ({brand.cases.count()} cases in all).")
        self.stdout.write("Demo logins (demo passwords, for trying it out only):")
        for login in logins:
            self.stdout.write(f"  {login.username:<8} {login.password:<16} {login.name} — {login.role}")
