"""Macros: placeholders filled from the case, the brand's own macros only, and their actions carried out."""

from __future__ import annotations

import pytest

from anliegen.core.case_links import case_from_token
from anliegen.core.models import CaseEvent, Message, MessageKind
from anliegen.promises.models import Promise
from anliegen.workday import macros
from anliegen.workday.models import Macro

BODY = "Hallo {customer},\nich bin {owner}, direkt: {owner_extension}, Mail {owner_address}.\n{case_link}\n{unknown}"


def test_placeholders_are_filled_from_the_case(brand, agents, make_case):
    case = make_case(brand, agents["anna"])
    macro = Macro.objects.create(brand=brand, name="Gruß", body=BODY)
    text = macros.render(macro, case)
    lines = text.splitlines()
    assert lines[0] == "Hallo Jana Krüger,"
    assert lines[1] == (
        f"ich bin Anna Schmidt, direkt: +49 40 123456-201, Mail anna+{case.reply_token}@stadtwerk.example."
    )
    token = lines[2].rsplit("/", 2)[-2]
    assert case_from_token(token).pk == case.pk  # the signed case link of core/case_links.py
    assert lines[3] == "{unknown}"  # an unknown placeholder stays as written


def test_a_macro_of_another_brand_is_refused(brand, agents, other_brand, make_case):
    case = make_case(brand, agents["anna"])
    foreign = Macro.objects.create(brand=other_brand, name="Fremd", body="{customer}")
    with pytest.raises(macros.MacroError):
        macros.render(foreign, case)
    assert foreign not in macros.for_case(case)


def test_the_case_language_comes_first(brand, agents, make_case):
    case = make_case(brand, agents["anna"], language="en")
    Macro.objects.create(brand=brand, name="A Gruß", language="de", body="x")
    Macro.objects.create(brand=brand, name="Z Greeting", language="en", body="y")
    Macro.objects.create(brand=brand, name="Off", language="en", body="z", active=False)
    assert [m.name for m in macros.for_case(case)] == ["Z Greeting", "A Gruß"]


def test_apply_sets_state_adds_note_and_makes_a_promise(audit, brand, agents, make_case):
    case = make_case(brand, agents["anna"])
    macro = Macro.objects.create(
        brand=brand,
        name="Rückruf",
        body="Wir rufen Sie an, {customer}.",
        set_state="waiting",
        note="Rückruf zugesagt für {customer}",
        promise_kind="callback",
        promise_hours=4,
    )
    applied = macros.check_apply(case, agents["ben"], macro)
    assert applied.text == "Wir rufen Sie an, Jana Krüger."
    case.refresh_from_db()
    assert case.state == "waiting"
    note = Message.objects.get(case=case, kind=MessageKind.NOTE)
    assert note.body_text == "Rückruf zugesagt für Jana Krüger" and note.author_agent == agents["ben"]
    promise = Promise.objects.get(case=case)
    assert promise.kind == "callback" and promise.owner == agents["anna"] and promise.created_by == agents["ben"]
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATE).exists()
    actions = set(audit.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"case.macro", "case.state"} <= actions


def test_a_refused_promise_undoes_the_whole_macro(audit, brand, agents, make_case):
    case = make_case(brand, agents["ben"])
    macro = Macro.objects.create(
        brand=brand, name="Tausch", body="x", note="n", set_state="waiting", promise_kind="replacement"
    )
    with pytest.raises(macros.MacroError):
        macros.check_apply(case, agents["ben"], macro)  # Ben may not promise a replacement
    case.refresh_from_db()
    assert case.state == "open"
    assert not Message.objects.filter(case=case).exists() and not Promise.objects.filter(case=case).exists()
    assert not audit.filter(action="case.macro").exists()
