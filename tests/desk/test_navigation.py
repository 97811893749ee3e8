"""Every desk page is reachable from the top bar; dates and amounts read unambiguously; quotes are folded."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anliegen.desk.timeline import folded as fold_for_reading
from anliegen.desk.timeline import timeline
from tests.conftest import PASSWORD

QUOTING_REPLY = """Danke, der Techniker war da, jetzt geht es wieder.

Viele Grüße
Jana

Am 2. Dezember 2026 um 10:00 schrieb Anna Schmidt <anna@stadtwerk.example>:
> Guten Tag Frau Krüger,
> ein Techniker kommt morgen zwischen 8 und 12 Uhr.
"""


def nav_links(html: str) -> list[str]:
    nav = html.split("<nav aria-label=", 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.parametrize("username, outbox", [("anna", False), ("claire", True)])
def test_every_desk_page_is_linked_from_the_navigation(agents, username, outbox):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    links = nav_links(client.get(reverse("desk:inbox")).content.decode())
    for name in ("desk:inbox", "desk:queue", "desk:promise_ledger", "desk:escalations", "desk:merge_proposals"):
        assert reverse(name) in links, name
    assert (reverse("desk:outbox") in links) is outbox  # supervisors and admins read kept mail
    for link in links:
        assert client.get(link).status_code == 200, link


def test_quoted_text_is_folded_in_the_timeline(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Techniker", owner=agents["anna"], text=QUOTING_REPLY)
    message = fold_for_reading(next(e.message for e in timeline(case) if e.message and e.message.direction == "in"))
    assert message.new_text.endswith("Jana") and message.quoted_text.startswith("Am 2. Dezember")
    html = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    shown, folded = html.split('<details class="quoted">', 1)
    assert "jetzt geht es wieder" in shown.rsplit("<article", 1)[1]
    assert "ein Techniker kommt morgen" not in shown.rsplit("<article", 1)[1]
    assert "ein Techniker kommt morgen" in folded.split("</details>", 1)[0]


def test_english_desk_dates_are_unambiguous(agents, mail_case, brand):
    case = mail_case(brand, "Datum", owner=agents["anna"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="anna", password=PASSWORD)
    client.cookies["django_language"] = "en"
    local = timezone.localtime(case.created_at)
    html = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert local.strftime("%Y-%m-%d %H:%M") in html
    assert local.strftime("%m/%d/%Y") not in html
    inbox = client.get(reverse("desk:inbox")).content.decode()
    assert timezone.localtime(case.updated_at).strftime("%Y-%m-%d %H:%M") in inbox


@pytest.mark.parametrize(
    "language, sentence", [("de", "Gutschriften bis 50,00 EUR zusagen"), ("en", "credits up to 50.00 EUR;")]
)
def test_the_promise_panel_speaks_euros(agents, mail_case, brand, language, sentence):
    case = mail_case(brand, "Gutschrift", owner=agents["anna"])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username="anna", password=PASSWORD)
    panel = client.get(reverse("desk:case_panels", args=[case.pk])).content.decode()
    assert sentence in panel and "5000" not in panel
