"""My cases and the team queue: my brands only, open first, overdue marked, pages that hold."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anliegen.core.models import Case, CaseState
from anliegen.desk.pages import PAGE_SIZE
from anliegen.sla.models import Clock


def test_inbox_shows_my_open_cases_and_not_other_brands(agents, other_brand, anna_client, mail_case):
    mine = mail_case(agents["anna"].memberships.get().brand, "Zählerstand falsch", owner=agents["anna"])
    bens = mail_case(mine.brand, "Abschlag zu hoch", owner=agents["ben"])
    foreign = mail_case(other_brand, "Internet weg seit Montag")
    response = anna_client.get(reverse("desk:inbox"))
    assert response.status_code == 200
    body = response.content.decode()
    assert mine.subject in body
    assert bens.subject not in body  # not mine
    assert foreign.subject not in body  # not my brand
    assert "Anna Schmidt" in body  # the owner's name in the row and the top bar


def test_inbox_done_tab_lists_solved_cases_only(agents, anna_client, mail_case, brand):
    open_case = mail_case(brand, "Offener Fall", owner=agents["anna"])
    solved = mail_case(brand, "Erledigter Fall", owner=agents["anna"], sender="Max <max@example.org>")
    Case.objects.filter(pk=solved.pk).update(state=CaseState.SOLVED)
    body = anna_client.get(reverse("desk:inbox")).content.decode()
    assert open_case.subject in body and solved.subject not in body
    body = anna_client.get(reverse("desk:inbox") + "?show=done").content.decode()
    assert solved.subject in body and open_case.subject not in body


def test_queue_lists_team_cases_and_filters(agents, other_brand, anna_client, mail_case, brand):
    bens = mail_case(brand, "Abschlag zu hoch", owner=agents["ben"])
    waiting = mail_case(brand, "Umzug gemeldet", owner=agents["claire"], sender="Max <max@example.org>")
    Case.objects.filter(pk=waiting.pk).update(state=CaseState.WAITING)
    foreign = mail_case(other_brand, "Internet weg seit Montag")
    body = anna_client.get(reverse("desk:queue")).content.decode()
    assert bens.subject in body and waiting.subject in body and foreign.subject not in body
    assert "Ben Wagner" in body
    body = anna_client.get(reverse("desk:queue"), {"state": "waiting", "brand": brand.pk}).content.decode()
    assert waiting.subject in body and bens.subject not in body
    assert anna_client.get(reverse("desk:queue"), {"brand": other_brand.pk}).status_code == 404
    assert anna_client.get(reverse("desk:queue"), {"brand": "x"}).status_code == 404
    assert anna_client.get(reverse("desk:queue"), {"state": "bogus"}).status_code == 400


def test_overdue_open_case_is_highlighted(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Rechnung doppelt", owner=agents["anna"])
    Case.objects.filter(pk=case.pk).update(answer_due_at=timezone.now() - timedelta(hours=1))
    body = anna_client.get(reverse("desk:inbox")).content.decode()
    assert f'data-case-row="{case.pk}" class="overdue"' in body
    Case.objects.filter(pk=case.pk).update(answer_due_at=timezone.now() + timedelta(hours=1))
    body = anna_client.get(reverse("desk:inbox")).content.decode()
    assert f'data-case-row="{case.pk}" class="overdue"' not in body


def _bulk_cases(brand, owner, contact, count: int) -> list[Case]:
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(brand=brand, contact=contact, owner=owner, subject=f"Fall {n:03d}", preferred_channel="email")
        for n in range(count)
    )
    for n, case in enumerate(cases):  # distinct activity times, newest = highest n
        Case.objects.filter(pk=case.pk).update(updated_at=now - timedelta(minutes=count - n))
    return cases


def test_pages_walk_all_cases_once_without_n_plus_one(agents, anna_client, mail_case, brand):
    first = mail_case(brand, "Fall echt", owner=agents["anna"])
    _bulk_cases(brand, agents["anna"], first.contact, PAGE_SIZE + 10)
    seen: list[str] = []
    url = reverse("desk:inbox")
    with CaptureQueriesContext(connection) as queries:
        response = anna_client.get(url)
    assert len(queries) < 12, [q["sql"] for q in queries]  # constant, not one per row
    while True:
        body = response.content.decode()
        seen += [line for line in body.split('data-case-row="')[1:]]
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        response = anna_client.get(url, {"after": cursor})
    assert len(seen) == PAGE_SIZE + 11
    assert anna_client.get(url, {"after": "garbage"}).status_code == 400


def test_list_fragment_for_live_refresh(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Neu im Postfach", owner=agents["anna"])
    response = anna_client.get(reverse("desk:inbox"), {"part": "list"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.startswith('<div id="case-list"')
    assert case.subject in body
    assert "<html" not in body


def _statements(client, url: str, **params: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return [q["sql"] for q in queries]


def test_inbox_and_queue_statements_do_not_grow_with_the_rows(agents, anna_client, mail_case, brand):
    """Sign-in (session, user, the agent with their memberships), the page of cases, the bulk bar's owners and
    incidents, the rows' addresses and tags; the queue adds its brand, team and tag choices. The same for 2 rows
    and for 50."""
    first = mail_case(brand, "Fall eins", owner=agents["anna"])
    counts = []
    for more in (1, PAGE_SIZE + 5):
        _bulk_cases(brand, agents["anna"], first.contact, more)
        counts.append((len(_statements(anna_client, reverse("desk:inbox"))),
                       len(_statements(anna_client, reverse("desk:queue")))))  # fmt: skip
    assert counts[0] == counts[1]
    inbox, queue = counts[0]
    assert inbox <= 8, _statements(anna_client, reverse("desk:inbox"))
    assert queue <= 11, _statements(anna_client, reverse("desk:queue"))
    # A row's service-level clock needs its brand's hours and holidays: one statement more, still not per row.
    due = timezone.now() + timedelta(hours=4)
    mine = Case.objects.filter(owner=agents["anna"])
    Clock.objects.bulk_create([Clock(case=c, brand=brand, opened_at=c.created_at, answer_due=due) for c in mine])
    assert len(_statements(anna_client, reverse("desk:inbox"))) == inbox + 1
