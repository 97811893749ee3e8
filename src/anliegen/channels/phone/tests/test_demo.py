"""The demo brand has a phone line, and its recorded calls are on the callers' cases (loading twice adds none)."""

from __future__ import annotations

from anliegen.channels.phone.models import Call, PhoneLine
from anliegen.core.models import Message, MessageKind
from anliegen.runtime import demo


def test_demo_calls_land_on_cases(db):
    brand, _logins = demo.ensure_brand()
    demo.load_cases(brand)
    assert PhoneLine.objects.filter(brand=brand).exists()
    umzug = Call.objects.get(call_id="demo-call-umzug")
    assert (umzug.result, umzug.duration_seconds, umzug.number) == ("answered", 212, "+494055504477")
    case = umzug.message.case
    assert case.subject.startswith("Umzug gemeldet") and umzug.agent == case.owner
    missed = Call.objects.get(call_id="demo-call-missed")
    assert missed.result == "missed" and missed.message.case == case
    calls = Message.objects.filter(kind=MessageKind.CALL).count()
    demo.load_cases(brand)
    assert Message.objects.filter(kind=MessageKind.CALL).count() == calls == 2
