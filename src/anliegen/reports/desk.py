"""The reports page in the desk (/desk/reports/) and its CSV export, for supervisors and admins of a brand."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from anliegen.core.models import Channel
from anliegen.csat.desk import supervised_brand_ids
from anliegen.desk import scope as desk_scope
from anliegen.desk.pages import render_page
from anliegen.sla.status import duration

from . import charts, export, figures
from .scope import ReportFilter, Scope

BACKLOG_LABELS = {"lt1d": "< 1 d", "1to3d": "1–3 d", "3to7d": "3–7 d", "7to30d": "7–30 d", "gt30d": "> 30 d"}


def collect(scope: Scope, by: str) -> dict:
    """Every figure of the report for one scope (the page and the CSV show the same)."""
    return {
        "cases": figures.cases(scope),
        "promises": figures.promises(scope),
        "deflection": figures.deflection(scope),
        "csat": figures.csat(scope),
        "channel_mix": figures.channel_mix(scope),
        "daily": figures.daily(scope),
        "backlog": figures.backlog(scope),
        "incidents": figures.incidents(scope),
        "csat_scores": figures.csat_scores(scope),
        "breakdown": figures.breakdown(scope, by) if by else [],
    }


def headline(data: dict) -> list[tuple[str, str, object]]:
    """(key, label, shown value) of each headline figure, for the page and the CSV alike."""
    c, p, d, s = data["cases"], data["promises"], data["deflection"], data["csat"]
    return [
        ("cases", _("Cases opened"), c["cases"]),
        ("confirm_avg", _("Time to confirmation (average)"), _span(c["confirm_avg_seconds"])),
        ("confirm_in_time", _("Confirmed within target"), _rate(c["confirm_in_time_rate"])),
        ("answer_avg", _("Time to first human answer (average)"), _span(c["answer_avg_seconds"])),
        ("answer_in_time", _("First human answer within target"), _rate(c["answer_in_time_rate"])),
        ("resolved", _("Cases solved"), c["resolved"]),
        ("first_contact", _("First-contact resolution"), _rate(c["first_contact_rate"])),
        ("promises", _("Promises kept on time"), _rate(p["promise_rate"], p["promises_due"])),
        ("callbacks", _("Callbacks kept on time"), _rate(p["callback_rate"], p["callbacks_due"])),
        ("incident_linked", _("Cases linked to an incident"), f"{c['incident_linked']} ({_rate(c['incident_share'])})"),
        ("deflection", _("Deflection (contact form)"), _rate(d["deflection_rate"], d["visits"])),
        ("csat", _("CSAT (share of 4 and 5)"), _rate(s["csat_rate"], s["rated"])),
        ("csat_avg", _("Average rating"), s["csat_avg"] if s["csat_avg"] is not None else "—"),
        ("response_rate", _("Ratings answered"), _rate(s["response_rate"], s["asked"])),
    ]


def _span(seconds: int | None) -> str:
    return "—" if seconds is None else duration(timedelta(seconds=seconds))


def _rate(value: float | None, of: int | None = None) -> str:
    if value is None:
        return "—"
    shown = formats.number_format(value * 100, 1) + " %"
    if of is None:
        return shown
    return _("%(rate)s of %(n)s") % {"rate": shown, "n": of}


def _form(request: HttpRequest) -> tuple[ReportFilter, Scope, str]:
    brand_ids = supervised_brand_ids(request.agent)
    if not brand_ids:
        raise Http404
    form = ReportFilter(request.GET or None, brand_ids)
    if request.GET and not form.is_valid():
        raise BadRequest("bad report filter")  # a foreign brand, team or agent is no choice: never its data
    if not request.GET:
        form = ReportFilter({}, brand_ids)
        form.is_valid()
    by = request.GET.get("by", "")
    if by and by not in figures.GROUPS:
        raise BadRequest("bad grouping")
    return form, form.scope(), by


@require_GET
@desk_scope.agent_required
def report(request: HttpRequest) -> HttpResponse:
    form, scope, by = _form(request)
    data = collect(scope, by)
    channel_names = dict(Channel.choices)
    pictures = {
        "daily": charts.columns(
            _("Cases opened per day"), [(formats.date_format(d, "SHORT_DATE_FORMAT"), n) for d, n in data["daily"]]
        ),
        "channels": charts.bars(_("Channel mix"), [(str(channel_names.get(c, c)), n) for c, n in data["channel_mix"]]),
        "backlog": charts.bars(_("Backlog by age"), [(BACKLOG_LABELS[k], n) for k, n in data["backlog"]]),
        "scores": charts.bars(_("Ratings"), [(f"{score} ★", n) for score, n in data["csat_scores"]]),
        "incidents": charts.bars(_("Incident-linked volume"), data["incidents"]),
    }
    query = request.GET.urlencode()
    context = {"form": form, "scope": scope, "by": by, "data": data, "headline": headline(data), "charts": pictures}
    context |= {
        "query": query,
        "groups": [("", _("no breakdown")), ("agent", _("agent")), ("team", _("team")), ("channel", _("channel"))],
    }
    return render_page(request, "reports/report.html", context)


@require_GET
@desk_scope.agent_required
def report_csv(request: HttpRequest) -> HttpResponse:
    _form_, scope, by = _form(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"'
    csv.writer(response).writerows(export.do_export(request.agent, scope, by, collect(scope, by)))
    return response
