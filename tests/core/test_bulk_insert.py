"""base/bulk.insert_rows writes what bulk_create writes, many rows per statement, and skips a taken identity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from anliegen.base.bulk import insert_rows
from anliegen.base.writes import allocate
from anliegen.core.models import Case, Contact, Identity, Message


def _rows(model, pks):  # noqa: ANN001, ANN202
    return [model_to_dict(obj) | {"id": obj.pk} for obj in model.objects.filter(pk__in=pks).order_by("id")]


def _cases(brand, agents, n: int, start: int):  # noqa: ANN001, ANN202
    contact = Contact.objects.create(brand=brand, name="Jana Krüger")
    due = datetime(2026, 5, 4, 18, tzinfo=UTC) + timedelta(hours=start)
    out = []
    for i in range(n):
        case = Case(
            brand=brand,
            contact=contact,
            owner=agents["anna"],
            subject=f"Zähler {start + i} «defekt»",
            language="de",
            answer_due_at=due,
            needs={"credit_max_cents": 5000, "list": [1, "ä"]},
        )
        out.append(case)
    return out


def test_the_same_rows_as_bulk_create(brand, agents):
    django_rows = _cases(brand, agents, 3, 0)
    for case, pk in zip(django_rows, allocate(Case, 3), strict=True):
        case.pk = pk
    Case.objects.bulk_create(django_rows)
    lean = _cases(brand, agents, 3, 0)
    for case, pk in zip(lean, allocate(Case, 3), strict=True):
        case.pk = pk
    insert_rows(Case, lean)
    strip = ("id", "contact", "reply_token", "created_at", "updated_at")
    a = [{k: v for k, v in row.items() if k not in strip} for row in _rows(Case, [c.pk for c in django_rows])]
    b = [{k: v for k, v in row.items() if k not in strip} for row in _rows(Case, [c.pk for c in lean])]
    assert a == b and a[0]["needs"] == {"credit_max_cents": 5000, "list": [1, "ä"]}
    assert all(c.created_at is not None and not c._state.adding for c in lean)  # auto_now_add as bulk_create


def test_many_rows_in_one_statement_and_a_message_of_a_new_case(brand, agents):
    cases = _cases(brand, agents, 120, 0)
    for case, pk in zip(cases, allocate(Case, 120), strict=True):
        case.pk = pk
    messages = [
        Message(
            case=case,
            brand=brand,
            channel="email",
            direction="in",
            subject=case.subject,
            body_text="Mein Zähler zeigt nichts.",
            address="jana@example.org",
        )
        for case in cases
    ]
    for message, pk in zip(messages, allocate(Message, 120), strict=True):
        message.pk = pk
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Case, cases)
        insert_rows(Message, messages)
    assert len(queries) == 2  # Django's bulk_create took 999 parameters per statement on SQLite: ten here
    assert Message.objects.filter(case__in=cases).count() == 120


def test_a_taken_identity_is_skipped_with_ignore_conflicts(brand):
    first = Contact.objects.create(brand=brand, name="A")
    second = Contact.objects.create(brand=brand, name="B")
    Identity.objects.create(contact=first, brand=brand, kind="email", value="a@example.org")
    row = Identity(contact=second, brand=brand, kind="email", value="a@example.org")
    row.pk = allocate(Identity, 1)[0]
    other = Identity(contact=second, brand=brand, kind="email", value="b@example.org")
    other.pk = allocate(Identity, 1)[0]
    insert_rows(Identity, [row, other], ignore_conflicts=True)
    assert Identity.objects.get(value="a@example.org").contact == first
    assert Identity.objects.get(value="b@example.org").contact == second


def test_rows_without_ids_go_to_bulk_create(brand, agents):
    cases = _cases(brand, agents, 2, 0)
    insert_rows(Case, cases)
    assert Case.objects.filter(subject__startswith="Zähler").count() == 2
