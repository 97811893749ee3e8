"""The team queue filtered by team: the cases routed to a team or owned by its members, of one's brands only."""

from __future__ import annotations

from anliegen.core.setup import create_team


def test_the_queue_shows_a_teams_cases(agents, anna_client, mail_case, brand, other_brand):
    team = create_team(brand, "Technik", [agents["ben"]])
    foreign = create_team(other_brand, "Süd", [other_brand.default_owner])
    mail_case(brand, "Router blinkt rot", owner=agents["ben"])
    mail_case(brand, "Rechnung doppelt", owner=agents["claire"])
    page = anna_client.get("/desk/queue/").content.decode()
    assert "Router blinkt rot" in page and "Rechnung doppelt" in page
    assert f'<option value="{team.pk}">Technik</option>' in page and "Süd" not in page
    filtered = anna_client.get(f"/desk/queue/?team={team.pk}").content.decode()
    assert "Router blinkt rot" in filtered and "Rechnung doppelt" not in filtered
    assert anna_client.get(f"/desk/queue/?team={foreign.pk}").status_code == 400  # not a choice of hers
