"""Intent-based needs and owner choice: authority that fits first, then load, then language."""

import pytest

from anliegen.core import intents
from anliegen.core.models import Case
from anliegen.core.setup import create_agent
from anliegen.intake.models import Inbound
from tests.conftest import PASSWORD
from tests.promises.factories import webform


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Ich hätte gern eine Gutschrift für den Ausfall.", {"credit_max_cents": 1}),
        ("Bitte eine Gutschrift über 80 Euro", {"credit_max_cents": 8000}),
        ("I want a refund of €12.50 please", {"credit_max_cents": 1250}),
        ("Können Sie das Gerät tauschen?", {"may_replace_device": True}),
        ("Please replace the device, it is broken", {"may_replace_device": True}),
        ("Ich möchte meinen Vertrag kündigen.", {"may_cancel_contract": True}),
        ("Wann kommt der Techniker?", {}),
        ("Mein Kredit bei der Bank", {}),  # not a credit note
    ],
)
def test_needs_from_words(text, needs):
    assert intents.needs_for(text) == needs


def test_credit_request_goes_to_the_agent_who_may_grant_it(brand, agents):
    # anna may credit up to 50 EUR, ben 20 EUR: a 30 EUR request goes to anna although ben has less load.
    webform(brand, "x@example.org", "Frage", "Hallo", "warmup")  # anna gets one case
    case = webform(brand, "jana@example.org", "Ausfall", "Bitte eine Gutschrift über 30 Euro für den Ausfall.", "s1")
    assert case.needs == {"credit_max_cents": 3000}
    assert case.owner == agents["anna"]
    assert "authority" in Inbound.objects.get(case=case).trace["route"]


def test_among_those_who_may_decide_the_least_loaded_wins(brand, agents):
    for n in range(2):
        c = webform(brand, f"c{n}@example.org", f"Thema {n}", "Hallo", f"w{n}")
        Case.objects.filter(pk=c.pk).update(owner=agents["anna"])
    case = webform(brand, "jana@example.org", "Ausfall", "Ich hätte gern eine Gutschrift.", "s1")
    assert case.owner == agents["ben"]  # both may credit something; ben has less to do


def test_language_decides_between_equally_loaded_agents(brand, agents):
    eve = create_agent(brand, "eve", "Eve Taylor", PASSWORD, languages=["en"], authority={"credit_max_cents": 2000})
    for name in ("anna", "claire"):
        agents[name].presence = "offline"
        agents[name].save()
    case = webform(brand, "sam@example.org", "Refund", "Could I get a refund for the outage?", "s1")
    assert case.language == "en"
    assert case.owner == eve  # ben (German only) and eve are equally loaded; eve speaks English


def test_no_one_with_authority_still_gives_an_owner(brand, agents):
    case = webform(brand, "jana@example.org", "Ausfall", "Ich will 5000 Euro Entschädigung!", "s1")
    assert case.needs == {"credit_max_cents": 500000}
    assert case.owner is not None  # never nobody; the owner escalates
