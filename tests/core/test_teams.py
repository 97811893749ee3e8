"""Teams: made by CLI and admin (scoped to one's brands), and routing sends what a team takes to its members."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from anliegen.core.models import Case, Membership, Team
from anliegen.core.setup import create_agent, create_team
from anliegen.intake.context import Context
from anliegen.intake.models import Inbound
from anliegen.intake.stages.route import route

from ..conftest import PASSWORD


def test_team_add_from_a_script_and_list(brand, agents, other_brand, capsys):
    call_command("team", "add", "Kündigungen", "--brand", "stadtwerk", "--member", "ben", "--lead", "claire",
                 "--topics", "cancel_contract")  # fmt: skip
    team = Team.objects.get(name="Kündigungen")
    assert team.brand == brand and team.lead == agents["claire"] and team.topics == ["cancel_contract"]
    assert sorted(a.mailbox for a in team.members.all()) == ["ben", "claire"]  # the lead is a member
    assert "Team Kündigungen in Stadtwerk Nord: ben, claire." in capsys.readouterr().out
    call_command("team", "list", "--brand", "stadtwerk")
    listed = capsys.readouterr().out
    assert "Kündigungen" in listed and "lead claire" in listed and "ben,claire" in listed
    for args, says in (
        (["--member", "dora"], "not agents of stadtwerk: dora"),  # another brand's agent
        (["--member", "nobody"], "no agent nobody"),
        (["--topics", "weather"], "unknown topics weather"),
        (["--brand", "nowhere"], "no brand nowhere"),
    ):
        with pytest.raises(CommandError, match=says):
            call_command("team", "add", "Technik", "--brand", "stadtwerk", *args)
    with pytest.raises(CommandError, match="has a team 'Kündigungen' already"):
        call_command("team", "add", "Kündigungen", "--brand", "stadtwerk")


def _route(brand, needs: dict, language: str = "de") -> Context:
    inbound = Inbound.objects.create(channel="webform", external_id=f"t-{Inbound.objects.count()}", raw=b"{}")
    ctx = Context(inbound=inbound, brand=brand, new_case=True)
    ctx.case = Case(brand=brand, language=language, needs=needs)
    route(ctx)
    return ctx


def test_a_case_asking_for_what_a_team_takes_goes_to_its_members(brand, agents):
    # Without the team, authority would choose Claire (the only one who may cancel a contract).
    team = create_team(brand, "Kündigungen", [agents["ben"]], topics=["cancel_contract"])
    ctx = _route(brand, {"may_cancel_contract": True})
    assert ctx.case.owner == agents["ben"] and ctx.case.team == team
    assert ctx.trace["route"].startswith("team Kündigungen: ben")
    other = _route(brand, {"credit_max_cents": 4000})  # no team takes credits: brand-wide, by authority
    assert other.case.owner == agents["anna"] and other.case.team is None


def test_nobody_of_the_team_online_goes_to_its_lead(brand, agents):
    team = create_team(brand, "Gutschriften", [agents["ben"], agents["anna"]], agents["anna"], ["credit"])
    type(agents["ben"]).objects.filter(pk__in=[agents["ben"].pk, agents["anna"].pk]).update(presence="offline")
    ctx = _route(brand, {"credit_max_cents": 100})
    assert ctx.case.owner == agents["anna"] and ctx.case.team == team
    assert "nobody online, the team lead anna" in ctx.trace["route"]


@pytest.fixture
def admin_client(client, brand, agents):
    create_agent(brand, "hanna", "Hanna Admin", PASSWORD, role=Membership.Role.ADMIN, staff=True, superuser=False)
    assert client.login(username="hanna", password=PASSWORD)
    return client


def test_a_brand_admin_makes_and_finds_teams_of_their_brand_only(admin_client, brand, agents, other_brand):
    create_team(other_brand, "Süd", [other_brand.default_owner])
    form = {"brand": brand.pk, "name": "Technik", "members": [agents["anna"].pk], "lead": agents["ben"].pk,
            "topics": ["replace_device"]}  # fmt: skip
    response = admin_client.post("/admin/core/team/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    team = Team.objects.get(name="Technik")
    assert sorted(a.mailbox for a in team.members.all()) == ["anna", "ben"] and team.topics == ["replace_device"]
    listing = admin_client.get("/admin/core/team/").content.decode()
    assert "Technik" in listing and "Süd" not in listing and "device replacements" in listing
    for url in ("/admin/core/team/?q=anna", f"/admin/core/team/?brand__id__exact={brand.pk}"):
        assert "Technik" in admin_client.get(url).content.decode(), url
    assert "Technik" not in admin_client.get("/admin/core/team/?q=nobody").content.decode()
    # Another brand's agent is no choice, and neither is another brand.
    dora = other_brand.default_owner.pk
    refused = admin_client.post("/admin/core/team/add/", {**form, "name": "Fremd", "members": [dora]})
    assert refused.status_code == 200 and not Team.objects.filter(name="Fremd").exists()
    refused = admin_client.post("/admin/core/team/add/", {**form, "name": "Fremd", "brand": other_brand.pk})
    assert refused.status_code == 200 and not Team.objects.filter(name="Fremd").exists()
