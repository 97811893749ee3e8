"""`anliegen team add|list`: create a team of a brand's agents from a script, or list the teams."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from anliegen.core.intents import INTENTS
from anliegen.core.models import Agent, Brand, Team
from anliegen.core.setup import create_team, parse_list


class Command(BaseCommand):
    help = "Create a team (agents of one brand, a lead, the topics routed to it) without prompts, or list them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a team of a brand's agents")
        add.add_argument("name", help="e.g. 'Kündigungen'")
        add.add_argument("--brand", required=True, help="brand slug")
        add.add_argument("--member", action="append", default=[], help="username of a member (repeat)")
        add.add_argument("--lead", default="", help="username of the team lead (a member; added when missing)")
        add.add_argument(
            "--topics", default="", help=f"new cases asking for these go to the team: {', '.join(INTENTS)}"
        )
        listing = sub.add_parser("list", help="the teams of a brand (or of all)")
        listing.add_argument("--brand", default="", help="brand slug")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["action"] == "list":
            self._list(str(opts["brand"]))
            return
        brand = Brand.objects.filter(slug=opts["brand"]).first()
        if brand is None:
            raise CommandError(f"no brand {opts['brand']} (see `anliegen brand list`)")
        usernames = list(dict.fromkeys([*opts["member"], *([opts["lead"]] if opts["lead"] else [])]))
        members = list(Agent.objects.filter(mailbox__in=usernames))
        if missing := sorted(set(usernames) - {a.mailbox for a in members}):
            raise CommandError(f"no agent {', '.join(missing)} (see `anliegen agent list`)")
        lead = next((a for a in members if a.mailbox == opts["lead"]), None)
        try:
            team = create_team(brand, str(opts["name"]), members, lead, parse_list(str(opts["topics"])))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        people = ", ".join(sorted(a.mailbox for a in members)) or "no members yet"
        self.stdout.write(f"Team {team.name} in {brand.name}: {people}.")

    def _list(self, slug: str) -> None:
        teams = Team.objects.select_related("brand", "lead").prefetch_related("members").order_by("brand__slug", "name")
        if slug:
            teams = teams.filter(brand__slug=slug)
        for team in teams:
            members = ",".join(sorted(a.mailbox for a in team.members.all())) or "-"
            lead = team.lead.mailbox if team.lead else "-"
            topics = ",".join(team.topics) or "-"
            self.stdout.write(f"{team.brand.slug:<16} {team.name:<24} lead {lead:<12} {members:<32} {topics}")
