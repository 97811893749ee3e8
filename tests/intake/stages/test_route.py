"""route: an available agent who speaks the language, least loaded; else the default owner; never nobody."""

import pytest

from anliegen.core.models import Case, Contact, Presence
from anliegen.intake.context import Quarantine
from anliegen.intake.stages.route import route


def routed(make_ctx, brand, language="de", needs=None):
    ctx = make_ctx()
    ctx.case = Case(brand=brand, language=language, needs=needs or {}, contact=Contact.objects.create(brand=brand))
    ctx.new_case = True
    route(ctx)
    return ctx.case.owner


def test_english_case_goes_to_an_english_speaker(make_ctx, brand, agents):
    assert routed(make_ctx, brand, "en") in (agents["anna"], agents["claire"])


def test_least_loaded_wins(make_ctx, brand, agents):
    contact = Contact.objects.create(brand=brand)
    for _ in range(3):
        Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="x", preferred_channel="email")
    assert routed(make_ctx, brand, "de") == agents["ben"]


def test_authority_is_preferred(make_ctx, brand, agents):
    assert routed(make_ctx, brand, "de", needs={"credit_max_cents": 4000}) == agents["anna"]
    assert routed(make_ctx, brand, "de", needs={"may_cancel_contract": True}) == agents["claire"]


def test_nobody_online_goes_to_the_default_owner(make_ctx, brand, agents):
    for agent in agents.values():
        agent.presence = Presence.OFFLINE
        agent.save()
    brand.default_owner = agents["ben"]
    brand.save()
    assert routed(make_ctx, brand, "en") == agents["ben"]


def test_full_agents_are_skipped(make_ctx, brand, agents):
    agents["ben"].capacity = 0
    agents["ben"].save()
    assert routed(make_ctx, brand, "de") != agents["ben"]


def test_a_brand_without_agents_quarantines(make_ctx, brand):
    with pytest.raises(Quarantine):
        routed(make_ctx, brand)


def test_existing_case_keeps_its_owner(make_ctx, brand, agents):
    case = Case.objects.create(
        brand=brand,
        contact=Contact.objects.create(brand=brand),
        owner=agents["ben"],
        subject="x",
        preferred_channel="email",
    )
    ctx = make_ctx(case=case)
    route(ctx)
    assert ctx.case.owner == agents["ben"]
