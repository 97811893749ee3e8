"""The demo brand's month of history gives every report figure something to show, once."""

from anliegen.core.models import Brand
from anliegen.reports import demo, figures
from anliegen.reports.scope import ReportFilter
from anliegen.runtime import demo as runtime_demo


def test_the_demo_month_fills_the_reports(db):
    brand, _logins = runtime_demo.ensure_brand()
    runtime_demo.ensure_incident(brand)
    added = demo.load(brand)
    assert added >= 90 and demo.load(brand) == 0  # a second load adds nothing
    form = ReportFilter({}, [brand.pk])
    assert form.is_valid()
    scope = form.scope()
    cases = figures.cases(scope)
    assert cases["cases"] >= 90 and cases["confirm_avg_seconds"] and cases["answer_in_time_rate"] is not None
    assert 0 < cases["first_contact_rate"] < 1 and cases["incident_linked"] > 0
    assert figures.promises(scope)["promises_due"] > 0 and figures.promises(scope)["callbacks_due"] > 0
    assert len(figures.channel_mix(scope)) >= 4 and sum(n for _k, n in figures.backlog(scope)) > 0
    assert figures.deflection(scope)["visits"] > 0 and figures.csat(scope)["rated"] > 0
    assert Brand.objects.get(pk=brand.pk).sla_targets.count() == len(demo.TARGETS)
