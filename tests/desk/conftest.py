"""Desk fixtures: cases that arrived through the real intake, in two brands, and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.test import Client
from django.utils import timezone

from anliegen.core.models import Agent, Brand, Case
from anliegen.intake.accept import accept
from tests.conftest import PASSWORD


def customer_mail(to: str, subject: str, text: str, sender: str = "Jana Krüger <jana@example.org>") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid(domain="example.org")
    mail.set_content(text)
    return mail


@pytest.fixture
def mail_case() -> Callable[..., Case]:
    """A customer mail through the whole pipeline; returns its case, optionally handed to `owner`."""

    def make(brand: Brand, subject: str, owner: Agent | None = None, **kwargs: str) -> Case:
        mail = customer_mail(brand.support_address, subject, kwargs.pop("text", "Bitte um Rückruf."), **kwargs)
        accept("email", mail["Message-ID"], mail.as_bytes(), {"rcpt": [brand.support_address]})
        case = Case.objects.select_related("owner", "contact").get(subject=subject, brand=brand)
        if owner is not None and case.owner_id != owner.pk:
            Case.objects.filter(pk=case.pk).update(owner=owner)
            case.refresh_from_db()
        return case

    return make


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def anna_client(agents) -> Client:
    return client_for("anna")


@pytest.fixture
def dora_client(other_brand) -> Client:
    return client_for("dora")
