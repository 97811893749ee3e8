"""Saved views: every filter field narrows the cases, counts come from one query, sharing needs a supervisor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anliegen.core.models import Case, Incident, Team
from anliegen.sla.models import Clock
from anliegen.workday import saved_views, tags
from anliegen.workday.filters import ViewFilter
from anliegen.workday.models import Macro, SavedView


def _ids(brand, **filters) -> set[int]:
    return set(Case.objects.filter(ViewFilter.from_dict(filters).q(), brand=brand).values_list("pk", flat=True))


def test_each_filter_narrows(brand, agents, make_case):
    anna, ben = agents["anna"], agents["ben"]
    old = make_case(brand, anna, "alt", language="en")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    chat = make_case(brand, ben, "chat")
    Case.objects.filter(pk=chat.pk).update(preferred_channel="chat")
    solved = make_case(brand, ben, "gelöst", state="solved")
    incident = Incident.objects.create(brand=brand, title="Störung", starts_at=timezone.now())
    Case.objects.filter(pk=solved.pk).update(incident=incident)
    team = Team.objects.create(brand=brand, name="Technik")
    team.members.add(ben)
    tags.check_add_tag(old, anna, "vip")
    tag_id = old.tags.get().pk
    now = timezone.now()
    Clock.objects.create(case=chat, brand=brand, channel="chat", opened_at=now, answer_due=now - timedelta(hours=1))
    Clock.objects.create(
        case=old,
        brand=brand,
        channel="email",
        opened_at=now,
        answer_risk=now - timedelta(minutes=5),
        answer_due=now + timedelta(hours=1),
    )

    assert _ids(brand) == {old.pk, chat.pk}  # open and waiting by default
    assert _ids(brand, state="all") == {old.pk, chat.pk, solved.pk}
    assert _ids(brand, state="solved") == {solved.pk}
    assert _ids(brand, channel="chat") == {chat.pk}
    assert _ids(brand, tag=tag_id) == {old.pk}
    assert _ids(brand, owner=ben.pk, state="all") == {chat.pk, solved.pk}
    assert _ids(brand, team=team.pk) == {chat.pk}
    assert _ids(brand, language="en") == {old.pk}
    assert _ids(brand, incident="any", state="all") == {solved.pk}
    assert _ids(brand, incident=str(incident.pk), state="all") == {solved.pk}
    assert _ids(brand, incident="none") == {old.pk, chat.pk}
    assert _ids(brand, older_than_days=7) == {old.pk}
    assert _ids(brand, sla="breach") == {chat.pk}
    assert _ids(brand, sla="risk") == {old.pk}
    # Malformed input is dropped, never trusted.
    assert ViewFilter.from_dict({"state": "'; drop", "tag": "x", "sla": "soon", "incident": "1 or 1", "a": 1}) == (
        ViewFilter()
    )


def test_counts_for_many_views_are_one_query(brand, agents, other_brand, make_case):
    anna = agents["anna"]
    for n in range(3):
        make_case(brand, anna, f"Fall {n}")
    make_case(other_brand, other_brand.default_owner, "fremd")
    for n in range(8):
        saved_views.check_save_view(anna, brand.pk, f"Ansicht {n}", {"state": "all" if n % 2 else ""})
    SavedView.objects.create(brand=other_brand, name="fremd", filters={})
    with CaptureQueriesContext(connection) as queries:
        counted = saved_views.with_counts(anna)
    assert len(queries) <= 3  # roles, the views, one aggregate for all counts
    assert [count for _view, count in counted] == [3] * 8
    assert all(view.brand_id == brand.pk for view, _count in counted)


def test_sharing_needs_a_supervisor_and_a_colleague_sees_shared_only(brand, agents):
    anna, claire, ben = agents["anna"], agents["claire"], agents["ben"]
    with pytest.raises(saved_views.ViewError):
        saved_views.check_save_view(anna, brand.pk, "Team", {}, shared=True)
    shared = saved_views.check_save_view(claire, brand.pk, "Team", {"sla": "breach"}, shared=True)
    own = saved_views.check_save_view(anna, brand.pk, "Meine", {"bogus": 1, "owner": anna.pk})
    assert own.filters == {"owner": anna.pk}
    assert set(saved_views.visible(ben)) == {shared}
    assert set(saved_views.visible(anna)) == {shared, own}
    with pytest.raises(saved_views.ViewError):
        saved_views.check_delete_view(anna, shared)
    saved_views.check_delete_view(claire, shared)


def test_no_views_in_a_brand_one_does_not_work_for(brand, agents, other_brand):
    with pytest.raises(saved_views.ViewError):
        saved_views.check_save_view(agents["anna"], other_brand.pk, "fremd", {})


def test_demo_brings_macros_tags_and_views_once(db):
    from anliegen.runtime import demo

    brand, _logins = demo.ensure_brand()
    demo.load_cases(brand)
    demo.load_cases(brand)
    assert set(Macro.objects.filter(brand=brand).values_list("language", flat=True)) == {"de", "en"}
    assert Macro.objects.filter(brand=brand).count() == 4
    outage = SavedView.objects.get(brand=brand, name="Störungsfälle")
    assert outage.shared and saved_views.cases_of(outage).count() == 3
    assert SavedView.objects.filter(brand=brand).count() == 2


def test_counts_narrowed_to_the_views_states_stay_exact(brand, agents, make_case):
    anna = agents["anna"]
    make_case(brand, anna, "offen")
    make_case(brand, anna, "gelöst", state="solved")
    make_case(brand, anna, "zu", state="closed")
    open_view = saved_views.check_save_view(anna, brand.pk, "Offen", {})
    solved_view = saved_views.check_save_view(anna, brand.pk, "Gelöst", {"state": "solved"})
    counts = {view.pk: count for view, count in saved_views.with_counts(anna)}
    assert counts == {open_view.pk: 1, solved_view.pk: 1}
    assert saved_views._states([ViewFilter(), ViewFilter(state="solved")]) == {"open", "waiting", "solved"}
    assert saved_views._states([ViewFilter(state="all")]) is None


def test_a_view_is_changed_by_its_owner_and_a_shared_one_by_a_supervisor(brand, agents, other_brand):
    anna, ben, claire = agents["anna"], agents["ben"], agents["claire"]
    own = saved_views.check_save_view(anna, brand.pk, "Meine", {"owner": anna.pk})
    saved_views.check_edit_view(anna, own, " Meine offenen ", {"owner": anna.pk, "channel": "chat", "x": 1}, False)
    own.refresh_from_db()
    assert (own.name, own.filters, own.owner_id) == ("Meine offenen", {"owner": anna.pk, "channel": "chat"}, anna.pk)
    for who, shared in ((ben, False), (anna, True)):  # a colleague's; sharing needs a supervisor
        with pytest.raises(saved_views.ViewError):
            saved_views.check_edit_view(who, own, "x", {}, shared)
    with pytest.raises(saved_views.ViewError):
        saved_views.check_edit_view(anna, own, "  ", {}, False)
    team = saved_views.check_save_view(claire, brand.pk, "Team", {}, shared=True)
    assert not saved_views.may_change(anna, team) and saved_views.may_change(claire, team)
    with pytest.raises(saved_views.ViewError):
        saved_views.check_edit_view(anna, team, "Team", {"sla": "breach"}, True)
    saved_views.check_edit_view(claire, team, "Nur meine", {}, False)  # unshared: now Claire's own
    team.refresh_from_db()
    assert team.owner_id == claire.pk and set(saved_views.visible(ben)) == set()


def test_counts_are_kept_briefly_per_agent_and_a_changed_view_is_counted_anew(brand, agents, make_case, settings):
    settings.SAVED_VIEW_COUNT_SECONDS = 30
    anna = agents["anna"]
    make_case(brand, anna, "offen")
    view = saved_views.check_save_view(anna, brand.pk, "Offen", {})
    assert [count for _view, count in saved_views.with_counts(anna)] == [1]
    make_case(brand, anna, "noch einer")
    with CaptureQueriesContext(connection) as queries:
        assert [count for _view, count in saved_views.with_counts(anna)] == [1]  # kept: no count query
    assert len(queries) <= 2  # roles and the views
    assert [count for _view, count in saved_views.with_counts(agents["claire"])] == []
    saved_views.check_edit_view(anna, view, "Alle", {"state": "all"}, False)
    counted = saved_views.with_counts(anna)
    assert [(v.name, count) for v, count in counted] == [("Alle", 2)]  # another filter: counted again
    saved_views.check_save_view(anna, brand.pk, "Noch eine", {})
    assert [count for _view, count in saved_views.with_counts(anna)] == [2, 2]
