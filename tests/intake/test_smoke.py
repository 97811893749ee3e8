import json

from django.core import mail

from anliegen.core.models import Case, Message
from anliegen.intake.accept import accept
from anliegen.intake.models import Inbound, InboundState


def test_webform_inbound_becomes_case_with_owner_and_confirmation(brand, agents, tasks):
    raw = json.dumps(
        {
            "name": "Jana Krüger",
            "email": "jana@example.org",
            "subject": "Fernseher schwarz",
            "text": "Seit heute Abend ist mein Fernseher schwarz, kein Signal.",
        }
    ).encode()
    acc = accept("webform", "sub-1", raw, {"submission": "sub-1"}, brand_id=brand.pk)
    inbound = Inbound.objects.get(pk=acc.inbound_id)
    assert inbound.state == InboundState.DONE, inbound.reason + inbound.traceback
    case = Case.objects.get()
    assert case.owner is not None
    assert case.language == "de"
    assert len(mail.outbox) == 0  # queued, not yet sent
    assert tasks() == 1
    assert len(mail.outbox) == 1
    assert case.owner.name in mail.outbox[0].body
    assert Message.objects.filter(case=case).count() == 2
    print(mail.outbox[0].message().as_string())
