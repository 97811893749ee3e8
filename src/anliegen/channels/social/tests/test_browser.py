"""End to end in a real browser: a public post, the public answer's link, the one-time code, a private reply."""

from __future__ import annotations

import re
import urllib.request

import pytest
from django.core import mail
from django.utils import translation

from anliegen.channels.social.tests import accounts
from anliegen.channels.testing import fixture_dir
from anliegen.core.models import Case, Direction, Message, MessageKind
from anliegen.core.services import cases
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def de(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


@pytest.fixture
def page(monkeypatch):
    with chromium_page(monkeypatch, locale="de-DE", extra_http_headers={"Accept-Language": "de"}) as page:
        yield page


def test_public_post_to_verified_private_reply_on_the_same_case(page, live_server, brand, agents, settings):
    settings.BASE_URL = live_server.url
    accounts.x_account(brand)
    body = (fixture_dir("x") / "tweet__mention.json").read_bytes()
    url, headers = (
        f"{live_server.url}/hooks/x/{brand.slug}/",
        {"Content-Type": "application/json", **accounts.sign_x(body)},
    )
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - the live server
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - the test's own live server
        assert answer.status == 200
    case = Case.objects.get()
    owner = case.owner
    public = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION, channel="x")
    link = re.search(r"https?://\S+/continue/\S+/", public.body_text).group()

    page.goto(link)
    assert owner.name in page.inner_text("h1")
    page.fill("input[name=value]", "anna.schulz@example.org")
    page.click("#address button[type=submit]")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["anna.schulz@example.org"]
    page.fill("input[name=code]", code)
    page.click("#code button[type=submit]")
    page.check("input[name=channel][value=email]")
    page.click("#channel button[type=submit]")
    page.wait_for_url(re.compile(r".*/c/.*"))

    page.fill("#id_text", "Meine Kundennummer ist 4471123, der Receiver zeigt E-104.")
    page.click("#reply button[type=submit]")
    assert "4471123" in page.inner_text("#latest")
    private = Message.objects.get(case=case, direction=Direction.IN, channel="portal")
    assert "E-104" in private.body_text

    case.refresh_from_db()
    assert (case.owner_id, case.preferred_channel) == (owner.pk, "email")
    reply = cases.do_reply(case, owner, "Danke, ich habe den Receiver für morgen neu bestellt.")
    assert (reply.channel, reply.address, reply.case_id) == ("email", "anna.schulz@example.org", case.pk)
    assert Case.objects.count() == 1
    page.reload()
    assert "neu bestellt" in page.inner_text(".portal-timeline")
