"""One question after a case is solved, one click from the mail, and a follow-up when the answer is poor."""

import re
from unittest import mock

from django.core import mail
from django.urls import reverse

from anliegen.core.models import CaseEvent, Team
from anliegen.core.services import cases as case_services
from anliegen.csat import links, services
from anliegen.csat.models import FollowUp, Survey


def solve(case, agent):
    case_services.do_change_state(case, agent, "solved")


def test_a_solved_case_is_asked_once_on_its_channel(brand, agents, mail_case, tasks):
    case = mail_case(brand, "Abschlag zu hoch", owner=agents["ben"])
    tasks()
    mail.outbox = []
    assert services.offer_due() == []  # still open: nothing to ask
    solve(case, agents["ben"])
    assert services.offer_due() == [case.pk]
    assert services.offer_due() == []  # once
    tasks()
    question = mail.outbox[-1]
    assert question.to == ["jana@example.org"]
    body = question.body
    urls = re.findall(r"^(\d): (\S+)$", body, re.M)
    assert [n for n, _url in urls] == ["1", "2", "3", "4", "5"]
    survey = Survey.objects.get(case=case)
    assert survey.agent == agents["ben"] and survey.channel == "email" and survey.score is None
    html = question.alternatives[0][0]
    assert html.count("/rate/") == 5


def test_one_click_records_and_the_form_adds_a_comment(brand, agents, mail_case, client):
    case = mail_case(brand, "Zähler", owner=agents["ben"])
    solve(case, agents["ben"])
    survey = services.ask(case)
    page = client.get(links.rate_url(survey, 4).removeprefix("http://testserver"))
    assert page.status_code == 200 and 'role="status"' in page.content.decode()  # "saved"
    survey.refresh_from_db()
    assert survey.score == 4 and survey.answered_at is not None
    # A second click (or a link checker opening every score) does not overwrite the first one.
    client.get(links.rate_url(survey, 1).removeprefix("http://testserver"))
    survey.refresh_from_db()
    assert survey.score == 4
    client.post(links.rate_url(survey).removeprefix("http://testserver"), {"score": "5", "comment": "Sehr schnell!"})
    survey.refresh_from_db()
    assert survey.score == 5 and survey.comment == "Sehr schnell!"
    assert not FollowUp.objects.exists()


def test_a_bad_link_is_404(client, brand, agents, mail_case):
    case = mail_case(brand, "Zähler", owner=agents["ben"])
    survey = services.ask(case)
    token = links.token(survey)
    assert client.get(reverse("csat:rate_score", args=[token[:-2] + "xx", 3])).status_code == 404
    assert client.get(reverse("csat:rate_score", args=[token, 9])).status_code == 404


def test_a_poor_score_opens_a_follow_up_for_the_supervisor(
    brand, agents, mail_case, claire_client, django_capture_on_commit_callbacks
):
    case = mail_case(brand, "Techniker kam nicht", owner=agents["ben"])
    solve(case, agents["ben"])
    survey = services.ask(case)
    with (
        mock.patch("anliegen.csat.services.realtime.publish") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.do_answer(survey, 2, "Niemand kam.")
    follow_up = FollowUp.objects.get(survey=survey)
    assert follow_up.supervisor == agents["claire"]
    assert publish.call_args.args[0]["type"] == "csat.low" and publish.call_args.args[0]["agents"] == [
        agents["claire"].pk
    ]
    assert CaseEvent.objects.filter(case=case, data__csat=2).exists()
    services.do_answer(survey, 1)
    assert FollowUp.objects.count() == 1  # one follow-up per rating
    page = claire_client.get(reverse("desk:csat_follow_ups")).content.decode()
    assert "Techniker kam nicht" in page and "Niemand kam." in page
    claire_client.post(reverse("desk:csat_finish", args=[follow_up.pk]), {"outcome": "Angerufen, neuer Termin"})
    follow_up.refresh_from_db()
    assert follow_up.done_by == agents["claire"] and follow_up.done_at is not None


def test_the_team_lead_follows_up_and_agents_cannot_see_the_list(brand, agents, mail_case, anna_client):
    team = Team.objects.create(brand=brand, name="Technik", lead=agents["anna"])
    team.members.add(agents["ben"])
    case = mail_case(brand, "Router", owner=agents["ben"])
    solve(case, agents["ben"])
    services.do_answer(services.ask(case), 1)
    assert FollowUp.objects.get().supervisor == agents["anna"]
    assert anna_client.get(reverse("desk:csat_follow_ups")).status_code == 404  # anna is an agent, not a supervisor


def test_another_brands_follow_up_is_404(brand, agents, other_brand, mail_case, claire_client):
    case = mail_case(other_brand, "Fremd", owner=None)
    solve(case, case.owner)
    services.do_answer(services.ask(case), 1)
    follow_up = FollowUp.objects.get()
    assert "Fremd" not in claire_client.get(reverse("desk:csat_follow_ups")).content.decode()
    assert claire_client.post(reverse("desk:csat_finish", args=[follow_up.pk]), {"outcome": "x"}).status_code == 404
