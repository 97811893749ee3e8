"""`anliegen intake status|reprocess`: what waits, what was quarantined and why; put items back in the queue."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from anliegen.intake.models import Inbound, InboundState
from anliegen.intake.pipeline import reprocess


class Command(BaseCommand):
    help = "Show the state of the intake queue, or reprocess quarantined Inbounds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="counts per state and the quarantine reasons")
        status.add_argument("--limit", type=int, default=20, help="quarantined items to list (default: 20)")
        again = sub.add_parser("reprocess", help="put Inbounds back in the queue; the worker processes them")
        again.add_argument("ids", nargs="*", type=int, help="Inbound ids")
        again.add_argument("--all-quarantined", action="store_true", help="every quarantined Inbound")
        again.add_argument("--now", action="store_true", help="process them in this command instead of the worker")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["action"] == "status":
            self._status(int(opts["limit"]))
        else:
            self._reprocess(list(opts["ids"]), bool(opts["all_quarantined"]), bool(opts["now"]))

    def _status(self, limit: int) -> None:
        counts = dict(Inbound.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
        for state in InboundState:
            self.stdout.write(f"{state.value:<12} {counts.get(state.value, 0)}")
        by_reason = (
            Inbound.objects.filter(state=InboundState.QUARANTINED)
            .values("stage", "reason")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        if by_reason:
            self.stdout.write("\nQuarantined, by stage and reason:")
            for row in by_reason[:limit]:
                self.stdout.write(f"  {row['n']:>6}  {row['stage'] or '-'}: {row['reason'][:160]}")
            latest = Inbound.objects.filter(state=InboundState.QUARANTINED).order_by("-id")[:limit]
            self.stdout.write("\nLatest quarantined (id channel external id):")
            for inbound in latest:
                self.stdout.write(f"  {inbound.pk:>8} {inbound.channel:<8} {inbound.external_id[:80]}")
            self.stdout.write(
                "\nReprocess with: anliegen intake reprocess --all-quarantined  (or: ... reprocess ID ...)"
            )

    def _reprocess(self, ids: list[int], everything: bool, now: bool) -> None:
        if bool(ids) == everything:
            raise CommandError("name Inbound ids or --all-quarantined (one of the two)")
        if ids:
            missing = set(ids) - set(Inbound.objects.filter(pk__in=ids).values_list("id", flat=True))
            if missing:
                raise CommandError(f"no Inbound with id {', '.join(map(str, sorted(missing)))}")
            done = Inbound.objects.filter(pk__in=ids, state=InboundState.DONE).values_list("id", flat=True)
            if done:
                self.stderr.write(f"already processed, left alone: {', '.join(map(str, done))}")
        targets = (
            ids if ids else list(Inbound.objects.filter(state=InboundState.QUARANTINED).values_list("id", flat=True))
        )
        count = reprocess(targets)
        self.stdout.write(f"{count} Inbound(s) back in the queue.")
        if now and count:
            from anliegen.intake.pipeline import process_ids

            results = process_ids(targets)
            states = Inbound.objects.filter(pk__in=targets).values_list("state").annotate(n=Count("id"))
            self.stdout.write(f"processed {len(results)}: " + ", ".join(f"{s} {n}" for s, n in states))
