"""notify: after commit, the brand's desks get a case.created / case.updated event."""

from anliegen.base import realtime
from anliegen.core.case_links import case_token
from anliegen.core.models import Case
from anliegen.intake.accept import accept

from ..conftest import form_raw


def test_new_case_event_is_published_after_commit(brand, agents, monkeypatch, django_capture_on_commit_callbacks):
    events = []
    monkeypatch.setattr(realtime, "publish_many", events.extend)
    with django_capture_on_commit_callbacks(execute=True):
        accept("webform", "n1", form_raw(), {"submission": "n1"}, brand_id=brand.pk)
        assert events == []  # nothing is pushed before the batch is committed
    (event,) = events
    assert event["type"] == "case.created" and event["brand"] == brand.pk and event["owner"]
    with django_capture_on_commit_callbacks(execute=True):
        # A follow-up through the case's signed link (an address alone opens a case of its own).
        link = case_token(Case.objects.get(pk=event["case"]))
        accept("webform", "n2", form_raw(text="Nachtrag", case_link=link), {"submission": "n2"}, brand_id=brand.pk)
    assert events[-1]["type"] == "case.updated" and events[-1]["case"] == event["case"]
