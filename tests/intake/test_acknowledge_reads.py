"""What acknowledge looks up is read once per batch (batching.prefetch, prefetch_confirmed), with the same answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anliegen.channels.email.inbound import items_for
from anliegen.channels.email.tests.conftest import mail
from anliegen.core.models import Contact, Identity, Message, MessageKind
from anliegen.intake import pipeline
from anliegen.intake.accept import accept_many


@pytest.fixture(params=[True, False], ids=["deferred", "one-by-one"])
def deferred(request, settings):
    """The batch's reads are made only with deferred writes; without them every lookup asks the database."""
    settings.INTAKE_EAGER = False
    settings.INTAKE_DEFERRED_WRITES = request.param
    return request.param


def _process(brand, *raws: bytes) -> None:
    items = [item for raw in raws for item in items_for(raw, ["service@stadtwerk.example"], [brand.pk])]
    pipeline.process_ids([a.inbound_id for a in accept_many(items)])


def _first_mails(brand, people: list[str]) -> None:
    _process(
        brand, *(mail(subject=f"Abschlag {p}", sender=f"{p}@example.org", message_id=f"<{p}-1@x>") for p in people)
    )


def _replies(people: list[str], n: int = 2) -> list[bytes]:
    return [
        mail(
            subject=f"Re: Abschlag {p}",
            sender=f"{p}@example.org",
            message_id=f"<{p}-{n}@x>",
            headers={"In-Reply-To": f"<{p}-1@x>"},
        )
        for p in people
    ]


def _confirmed_to() -> list[str]:
    return sorted(Message.objects.filter(kind=MessageKind.CONFIRMATION).values_list("address", flat=True))


def test_replies_are_confirmed_unless_confirmed_in_the_quiet_period(brand, agents, deferred):
    people = ["ole", "pia", "rut", "sam"]
    _first_mails(brand, people)
    # Two of them were confirmed 20 minutes ago, past the quiet period: their replies are confirmed again.
    old = timezone_ago(minutes=20)
    Message.objects.filter(kind=MessageKind.CONFIRMATION, address__in=["ole@example.org", "rut@example.org"]).update(
        created_at=old
    )
    _process(brand, *_replies(people))
    assert _confirmed_to() == sorted([f"{p}@example.org" for p in people] + ["ole@example.org", "rut@example.org"])


def test_a_confirmation_goes_to_the_verified_address(brand, agents, deferred):
    _first_mails(brand, ["ole"])
    contact = Contact.objects.get()
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="ole.privat@example.org", verified=True)
    Message.objects.filter(kind=MessageKind.CONFIRMATION).update(created_at=timezone_ago(minutes=20))
    _process(brand, *_replies(["ole"]))
    assert _confirmed_to() == ["ole.privat@example.org", "ole@example.org"]


def test_a_new_request_and_its_follow_up_in_one_batch_get_one_confirmation(brand, agents, deferred):
    _first_mails(brand, ["ole"])
    Message.objects.filter(kind=MessageKind.CONFIRMATION).update(created_at=timezone_ago(minutes=20))
    new = mail(subject="Umzug nach Kiel", sender="ole@example.org", message_id="<ole-u1@x>")
    follow = mail(
        subject="Re: Umzug nach Kiel",
        sender="ole@example.org",
        message_id="<ole-u2@x>",
        headers={"In-Reply-To": "<ole-u1@x>"},
    )
    _process(brand, new, follow)
    assert _confirmed_to() == ["ole@example.org", "ole@example.org"]  # the first mail's and the new request's


def test_recent_confirmations_are_one_query_per_batch(brand, agents, settings):
    settings.INTAKE_EAGER = False
    settings.INTAKE_DEFERRED_WRITES = True
    people = ["ole", "pia", "rut", "sam", "tom", "uwe"]
    _first_mails(brand, people)
    with CaptureQueriesContext(connection) as queries:
        _process(brand, *_replies(people))
    sqls = [q["sql"] for q in queries.captured_queries]
    identities = [s for s in sqls if 'WHERE "core_identity"."contact_id"' in s]
    assert len(identities) == 1, identities
    recent = [s for s in sqls if 'FROM "core_message"' in s and '"kind" =' in s and '"created_at" >=' in s]
    assert len(recent) == 1, recent


def timezone_ago(**delta: int):
    from django.utils import timezone

    return timezone.now() - timedelta(**delta)


def test_an_address_bounced_earlier_in_the_batch_is_not_confirmed_to(brand, agents, deferred):
    from anliegen.channels.email.tests.conftest import fixture
    from anliegen.core.models import Case

    _first_mails(brand, ["ole"])
    contact, case = Contact.objects.get(), Case.objects.get()
    older = Identity.objects.create(contact=contact, brand=brand, kind="email", value="ole.privat@example.org")
    Identity.objects.filter(pk=older.pk).update(created_at=timezone_ago(days=30))
    Message.objects.filter(kind=MessageKind.CONFIRMATION).update(created_at=timezone_ago(minutes=20))
    bounce = fixture("report__postfix_bounce.eml").replace(b"{address}", b"ole@example.org")
    bounce = bounce.replace(b"{token}", case.reply_token.encode()).replace(b"{message_id}", b"ole-1@x")
    _process(brand, bounce, *_replies(["ole"]))
    # The reply's own address bounced a moment before: the confirmation goes to the other one.
    assert _confirmed_to() == ["ole.privat@example.org", "ole@example.org"]
