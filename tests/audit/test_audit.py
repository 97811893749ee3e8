"""The audit log: written by the services that act, append-only in the database, readable by admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from anliegen.audit import services as audit
from anliegen.audit.models import Action, AuditEntry
from anliegen.core.models import Membership
from anliegen.core.services import merge
from anliegen.core.setup import create_agent
from anliegen.promises.services import PromiseInput, check_create_promise, do_keep
from tests.conftest import PASSWORD
from tests.desk.conftest import client_for


@pytest.fixture
def case(agents, brand, mail_case):
    return mail_case(brand, "Zählerstand falsch", owner=agents["anna"])


@pytest.fixture
def sarah(brand):
    return create_agent(brand, "sarah", "Sarah Admin", PASSWORD, role=Membership.Role.ADMIN)


def test_the_database_refuses_to_change_or_delete_an_entry(case, agents):
    entry = audit.record(agents["anna"], Action.CASE_STATE, case, {"from": "open", "to": "solved"})
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action=Action.CASE_ASSIGN),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: connection.cursor().execute("UPDATE audit_auditentry SET actor_name = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM audit_auditentry"),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    entry.refresh_from_db()
    assert entry.action == Action.CASE_STATE and entry.actor_name == "Anna Schmidt"


def test_unknown_action_is_refused(case, agents):
    with pytest.raises(ValueError):
        audit.record(agents["anna"], "case.teleported", case)


def test_state_change_and_reassignment_in_the_desk_are_recorded(case, agents, anna_client):
    anna_client.post(reverse("desk:state", args=[case.pk]), {"state": "solved"})
    anna_client.post(reverse("desk:reassign", args=[case.pk]), {"new_owner": agents["ben"].pk, "note": "Urlaub"})
    rows = list(AuditEntry.objects.order_by("id").values_list("action", "object_type", "object_id", "detail", "via"))
    assert rows == [
        (Action.CASE_STATE, "case", str(case.pk), {"from": "open", "to": "solved"}, "desk"),
        (Action.CASE_ASSIGN, "case", str(case.pk), {"from": agents["anna"].pk, "to": agents["ben"].pk}, "desk"),
    ]
    assert set(AuditEntry.objects.values_list("brand_id", "actor_id")) == {(case.brand_id, agents["anna"].pk)}


def test_promise_changes_merges_and_splits_are_recorded(case, agents, brand, mail_case):
    anna = agents["anna"]
    promise = check_create_promise(
        case, anna, PromiseInput(kind="credit", due_at=timezone.now() + timedelta(days=1), amount_cents=500, text="5 €")
    )
    do_keep(promise, anna, "BU-1")
    other = mail_case(brand, "Noch einmal Zählerstand", owner=anna)
    merge.check_merge_cases(case, other, anna)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "object_type"))
    assert actions == [
        (Action.PROMISE_MADE, "promise"),
        (Action.PROMISE_KEPT, "promise"),
        (Action.CASE_MERGE, "case"),
    ]


def test_a_refused_change_leaves_no_entry(case, agents, other_brand):
    dora = other_brand.default_owner
    with pytest.raises(merge.MergeError):
        merge.check_split_case(case, [], dora)
    assert not AuditEntry.objects.exists()


def test_viewing_a_contact_is_recorded_in_desk_and_api(case, agents, anna_client):
    assert anna_client.get(reverse("desk:contact", args=[case.contact_id])).status_code == 200
    assert anna_client.get(f"/api/contacts/{case.contact_id}").status_code == 200
    assert anna_client.get("/api/contacts").status_code == 200
    rows = list(AuditEntry.objects.order_by("id").values_list("action", "object_id", "via", "actor_id"))
    contact = str(case.contact_id)
    anna = agents["anna"].pk
    assert rows == [(Action.CONTACT_VIEW, contact, via, anna) for via in ("desk", "api", "api")]


def test_audit_page_is_for_admins_of_the_brand_and_filters(case, agents, sarah, other_brand, anna_client):
    anna_client.post(reverse("desk:state", args=[case.pk]), {"state": "solved"})
    anna_client.post(reverse("desk:reassign", args=[case.pk]), {"new_owner": agents["ben"].pk, "note": "Urlaub"})
    url = reverse("desk:audit_log")
    assert anna_client.get(url).status_code == 403  # an agent
    assert client_for("claire").get(url).status_code == 403  # a supervisor
    admin = client_for("sarah")

    def shown(client, **query):
        page = client.get(url, query).content.decode()
        return {label for label in ("case state changed", "case reassigned") if f"<td>{label}</td>" in page}

    assert shown(admin) == {"case state changed", "case reassigned"}
    assert shown(admin, action=Action.CASE_ASSIGN) == {"case reassigned"}
    assert shown(admin, actor="Ben") == set()
    assert shown(admin, actor="anna") == {"case state changed", "case reassigned"}
    assert shown(admin, object_type="case", object_id=str(case.pk + 1)) == set()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert shown(admin, since=tomorrow) == set()
    assert shown(admin, until=tomorrow) == {"case state changed", "case reassigned"}
    # An admin of brand B sees none of brand A's entries, even when asking for brand A.
    create_agent(other_brand, "olaf", "Olaf Admin", PASSWORD, role=Membership.Role.ADMIN)
    olaf = client_for("olaf")
    assert shown(olaf) == set() and shown(olaf, brand=case.brand_id) == set()


def test_django_admin_shows_entries_read_only(case, agents):
    audit.record(agents["anna"], Action.CASE_STATE, case)
    model_admin = site._registry[AuditEntry]
    request = RequestFactory().get("/admin/")
    request.user = agents["anna"].user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, AuditEntry.objects.get())
    assert not model_admin.has_delete_permission(request, AuditEntry.objects.get())


def test_a_view_counts_again_only_within_the_window_and_for_the_same_page(case, agents):
    anna, contact = agents["anna"], case.contact
    old = timezone.now() - audit.VIEW_WINDOW - timedelta(seconds=1)
    for n in range(25):  # many older views of the same page, newest first beyond the window
        AuditEntry.objects.create(
            brand=case.brand,
            actor=anna,
            actor_name=anna.name,
            via="desk",
            action=Action.CONTACT_VIEW,
            object_type="contact",
            object_id=str(contact.pk),
            detail={"case": case.pk},
            at=old - timedelta(minutes=n),
        )
    assert audit.record_view(anna, contact, via="desk", case=case)  # the older views are outside the window
    assert not audit.record_view(anna, contact, via="desk", case=case)
    assert audit.record_view(anna, contact, via="desk")  # the contact's own page is another view
    assert audit.record_view(agents["ben"], contact, via="desk", case=case)  # and so is someone else's
    assert not audit.record_view(agents["ben"], contact, via="desk", case=case)
    assert AuditEntry.objects.filter(action=Action.CONTACT_VIEW, object_id=str(contact.pk)).count() == 25 + 3
