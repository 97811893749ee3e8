"""Every mail we send carries only real RFC 5322 Message-IDs in Message-ID, In-Reply-To and References."""

from __future__ import annotations

import re
import uuid
from email import message_from_bytes, policy

from django.core import mail as django_mail

from anliegen.channels.email.outbound import is_message_id
from anliegen.channels.webform import inbound as webform
from anliegen.core.models import Case
from anliegen.core.services.cases import do_reply

from .conftest import deliver, mail

# Written out again here from RFC 5322 3.6.4 (dot-atom-text "@" dot-atom-text), not taken from the code.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
MSG_ID = re.compile(rf"<{ATOM}(\.{ATOM})*@{ATOM}(\.{ATOM})*>")


def _ids(value: str) -> list[str]:
    tokens = value.split()
    assert tokens, "an empty id header"
    for token in tokens:
        assert MSG_ID.fullmatch(token), f"not an RFC 5322 msg-id: {token!r}"
    return tokens


def test_is_message_id():
    assert is_message_id("cust-1@example.org") and is_message_id("a.b@[127.0.0.1]")
    assert not is_message_id("5268ae8e-3d5a-4e6f-8a7b-9c0d1e2f3a4b")
    assert not is_message_id("demo-form-never-confirmed") and not is_message_id("a b@example.org")
    assert not is_message_id("a@b@c") and not is_message_id("")


def test_every_outgoing_mail_has_valid_id_headers(agents, brand, tasks):
    submission = str(uuid.uuid4())
    raw = webform.payload(name="Jana Krüger", email="jana@example.org", phone="", subject="Zählerstand",
                          text="Mein Zählerstand ist 12345.", language="de", files=[])  # fmt: skip
    webform.submit(brand, submission, raw, "127.0.0.1")
    form_case = Case.objects.get()
    deliver(mail(sender="Ole Berg <ole@example.net>", subject="Abschlag zu hoch", message_id="<cust-7@example.net>"))
    mail_case = Case.objects.exclude(pk=form_case.pk).get()
    do_reply(form_case, agents["anna"], "Guten Tag, wir haben den Zählerstand übernommen.")
    do_reply(mail_case, agents["anna"], "Guten Tag, der Abschlag wird angepasst.")
    tasks()
    sent = [message_from_bytes(m.message().as_bytes(), policy=policy.default) for m in django_mail.outbox]
    assert len(sent) == 4  # two confirmations, two answers
    for parsed in sent:
        _ids(str(parsed["Message-ID"]))
        for name in ("In-Reply-To", "References"):
            if parsed[name] is not None:
                _ids(str(parsed[name]))
    to_form = [p for p in sent if "jana@example.org" in str(p["To"])]
    # The form case has no mail to answer until we wrote one: the answer refers to our confirmation only.
    assert [p["In-Reply-To"] for p in to_form][0] is None
    assert all(submission not in str(p) for p in to_form)
    to_mail = [p for p in sent if "ole@example.net" in str(p["To"])]
    assert all("<cust-7@example.net>" in str(p["References"]) for p in to_mail)
