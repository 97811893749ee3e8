"""The outbox page: supervisors read the mail the customer got, only of their own brands."""

from __future__ import annotations

from django.urls import reverse

from anliegen.channels.email.models import CapturedMail
from anliegen.core.models import Membership
from anliegen.core.setup import create_agent
from tests.conftest import PASSWORD

from .conftest import client_for


def test_supervisor_reads_the_confirmation_the_customer_got(agents, other_brand, brand, mail_case, tasks, settings):
    settings.EMAIL_BACKEND = "anliegen.channels.email.capture.CaptureBackend"
    case = mail_case(brand, "Zählerstand falsch", owner=agents["anna"])
    mail_case(other_brand, "Internet weg seit Montag")
    tasks()
    assert CapturedMail.objects.count() == 2
    ours = CapturedMail.objects.get(sender__contains="@stadtwerk.example")
    client = client_for("claire")  # supervisor of Stadtwerk
    body = client.get(reverse("desk:outbox")).content.decode()
    assert "Zählerstand falsch" in body and "Internet weg" not in body
    body = client.get(reverse("desk:outbox_mail", args=[ours.pk])).content.decode()
    assert "In-Reply-To" in body and "Anna Schmidt" in body  # headers
    assert case.owner.name in body and "Auto-Submitted" in body
    theirs = CapturedMail.objects.exclude(pk=ours.pk).get()
    assert client.get(reverse("desk:outbox_mail", args=[theirs.pk])).status_code == 404


def test_plain_agent_has_no_outbox(agents, anna_client):
    assert anna_client.get(reverse("desk:outbox")).status_code == 403
    assert reverse("desk:outbox") not in anna_client.get(reverse("desk:inbox")).content.decode()


def test_staff_agent_sees_outbox_of_their_brands(agents, brand):
    create_agent(brand, "root", "Rita Root", PASSWORD, role=Membership.Role.AGENT, staff=True)
    client = client_for("root")
    assert client.get(reverse("desk:outbox")).status_code == 200
    assert reverse("desk:outbox") in client.get(reverse("desk:inbox")).content.decode()


def test_similar_domain_does_not_leak(agents, brand):
    CapturedMail.objects.create(
        sender='"X" <x@evil-stadtwerk.example>', recipients="a@b.c", subject="Fremde Post", raw=b"Subject: x\r\n\r\nx"
    )
    body = client_for("claire").get(reverse("desk:outbox")).content.decode()
    assert "Fremde Post" not in body
