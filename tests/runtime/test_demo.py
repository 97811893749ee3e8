"""`anliegen demo`: realistic cases through the real intake path, loaded once however often it runs."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from anliegen.channels.social.models import PublicPost
from anliegen.core.models import Brand, Case, Direction, Incident, Message, MessageKind
from anliegen.intake.models import Inbound, InboundState
from anliegen.reports.demo import HISTORY_DOMAIN
from anliegen.runtime import demo
from anliegen.runtime.demo_data.cases import AGENTS, CASES


def _counts() -> tuple[int, ...]:
    return (
        Brand.objects.count(),
        Case.objects.count(),
        Message.objects.count(),
        Inbound.objects.count(),
        Incident.objects.count(),
    )


def test_demo_loads_cases_with_owners_confirmations_and_an_incident(db, tasks):
    out = io.StringIO()
    call_command("demo", stdout=out)
    brand = Brand.objects.get(slug="kabelwelle")
    assert "6 new demo cases" in out.getvalue()
    for spec in AGENTS:
        assert f"{spec['username']:<8} {spec['password']}" in out.getvalue()
    assert not Inbound.objects.exclude(state=InboundState.DONE).exists()
    # The month of history for the reports is written straight to the tables (tests/reports/test_demo.py).
    cases = Case.objects.filter(brand=brand).exclude(contact__identities__value__endswith=f"@{HISTORY_DOMAIN}")
    assert cases.exclude(preferred_channel__in=["whatsapp", "x", "facebook_page"]).count() == len(CASES)
    # Two WhatsApp customers: one answered within the 24 hours, one past them (the desk offers the template).
    chats = cases.filter(preferred_channel="whatsapp").order_by("created_at")
    assert [c.messages.filter(direction=Direction.IN).count() for c in chats] == [2, 1]
    assert chats[0].messages.filter(direction=Direction.OUT, kind=MessageKind.MESSAGE, channel="whatsapp").exists()
    assert {c.language for c in cases} == {"de", "en"}
    # Every case got a confirmation naming its owner, queued to the customer's channel.
    for case in cases:
        confirmation = case.messages.get(kind=MessageKind.CONFIRMATION)
        assert confirmation.direction == Direction.OUT
    tv = cases.get(subject__startswith="Fernseher schwarz")
    assert tv.incident is not None and tv.incident.state == Incident.State.ACTIVE
    assert cases.get(subject="TV is black, no signal").incident == tv.incident
    # The follow-up found its case through the owner's reply address.
    assert tv.messages.filter(direction=Direction.IN).count() == 2
    credit = cases.get(subject__startswith="Zugesagte Gutschrift")
    assert credit.messages.filter(direction=Direction.OUT, kind=MessageKind.MESSAGE, author_agent=credit.owner).count()
    # Public posts: an outage report on X linked to the TV incident, a page comment with personal data.
    outage = cases.get(preferred_channel="x", subject__contains="kein Signal in 22529")
    assert outage.incident == tv.incident
    comment = Message.objects.get(case__in=cases, channel="facebook_page", direction=Direction.IN)
    assert (
        "personal_data:iban" in comment.inbound.trace["classify"]
        and "personal_data:phone" in comment.inbound.trace["classify"]
    )
    public = Message.objects.filter(case__in=cases, channel__in=["x", "facebook_page"], kind=MessageKind.CONFIRMATION)
    assert public.count() == 4 and not any("DE89" in m.body_text or "0170" in m.body_text for m in public)
    assert PublicPost.objects.filter(incident=tv.incident).count() == 2  # the incident on X and the page
    sent = Message.objects.filter(direction=Direction.OUT, case__in=cases).exclude(channel="portal")
    assert tasks() == sent.count() + PublicPost.objects.count()


def test_demo_is_idempotent(db):
    call_command("demo", stdout=io.StringIO())
    first = _counts()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert _counts() == first
    assert "0 new demo cases" in out.getvalue()


def test_demo_admin_can_open_the_admin(db, client):
    call_command("demo", stdout=io.StringIO())
    admin = next(a for a in AGENTS if a.get("staff"))
    assert client.login(username=admin["username"], password=admin["password"])
    assert client.get("/admin/").status_code == 200


def test_a_deleted_demo_login_is_not_made_again(db):
    demo.ensure_brand()
    get_user_model().objects.get(username="sarah").delete()
    brand, logins = demo.ensure_brand()
    assert not get_user_model().objects.filter(username="sarah").exists()
    assert "sarah" not in [login.username for login in logins]
    assert {login.username for login in logins} == {"lena", "jonas"}


def test_a_changed_demo_password_is_not_printed(db):
    brand, _ = demo.ensure_brand()
    lena = get_user_model().objects.get(username="lena")
    lena.set_password("chosen-by-lena-1")
    lena.save()
    assert "lena" not in [login.username for login in demo.demo_logins(brand)]


def test_no_demo_superuser_in_scale_out(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    brand, logins = demo.ensure_brand()
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert {login.username for login in logins} == {"lena", "jonas"}
