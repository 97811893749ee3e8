"""A report's CSV export: its rows, and the audit entry that says who took which figures out of the desk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from anliegen.audit import services as audit
from anliegen.core.models import Agent, Brand

from .scope import Scope


def do_export(agent: Agent, scope: Scope, by: str, data: dict) -> list[list[object]]:
    """The CSV rows of `data` (collected for `scope`); one audit entry per brand the report covers."""
    what = {
        "since": scope.start.date().isoformat(),
        "until": (scope.end - timedelta(days=1)).date().isoformat(),  # the end is the next midnight
        "team": scope.team_id,
        "agent": scope.agent_id,
        "channel": scope.channel,
        "by": by,
    }
    brands = Brand.objects.filter(pk__in=scope.brand_ids).order_by("pk")
    audit.record_each(agent, audit.Action.REPORT_EXPORT, [(brand, what) for brand in brands], via="desk")
    return [["section", "key", "value"], *_rows(data, by)]


def _rows(data: dict, by: str) -> Iterator[list[object]]:
    for name in ("cases", "promises", "deflection", "csat"):
        for key, value in data[name].items():
            yield [name, key, "" if value is None else value]
    for section in ("channel_mix", "backlog", "incidents", "csat_scores", "daily"):
        for key, value in data[section]:
            yield [section, key, value]
    for row in data["breakdown"]:
        for key, value in row.items():
            if key != "key":
                yield [f"by_{by}:{row['key']}", key, "" if value is None else value]
