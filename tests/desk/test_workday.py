"""The desk's working-day pages: a text block into the composer, tags, saved views with counts, bulk actions,
and brand isolation of each (brand B's agent never reads or changes brand A's cases through them)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from anliegen.audit.models import AuditEntry
from anliegen.core.models import Case, Incident, Message, MessageKind
from anliegen.workday.models import Macro, SavedView, Tag

from .conftest import client_for


@pytest.fixture
def case(brand, agents, mail_case):
    return mail_case(brand, "Internet weg", owner=agents["anna"], sender="Jana Krüger <jana@example.org>")


def test_macro_fills_the_reply_after_the_draft_and_changes_state(case, brand, anna_client):
    macro = Macro.objects.create(
        brand=brand, name="Warten", body="Hallo {customer}, {owner} hier.", set_state="waiting", note="per Baustein"
    )
    url = reverse("desk:apply_macro", args=[case.pk])
    response = anna_client.post(url, {"macro": macro.pk, "text": "Mein Entwurf"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mein Entwurf\n\nHallo Jana Krüger, Anna Schmidt hier.</textarea>" in body
    assert "Warten" in body and 'id="case-main"' in body
    case.refresh_from_db()
    assert case.state == "waiting"
    assert Message.objects.filter(case=case, kind=MessageKind.NOTE, body_text="per Baustein").exists()


def test_case_page_lists_only_the_brand_macros(case, brand, other_brand, anna_client):
    Macro.objects.create(brand=brand, name="Eigener Baustein", body="x")
    Macro.objects.create(brand=other_brand, name="Fremder Baustein", body="y")
    body = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "Eigener Baustein" in body and "Fremder Baustein" not in body


def test_another_brands_macro_id_is_404_and_changes_nothing(case, other_brand, anna_client):
    foreign = Macro.objects.create(brand=other_brand, name="Fremd", body="y", set_state="solved")
    started = timezone.now()
    response = anna_client.post(reverse("desk:apply_macro", args=[case.pk]), {"macro": foreign.pk})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "open" and not AuditEntry.objects.filter(action="case.macro", at__gte=started).exists()


def test_tags_on_the_case_page_and_in_lists(case, brand, anna_client):
    url = reverse("desk:case_tags", args=[case.pk])
    assert anna_client.post(url, {"tag": "Glasfaser"}, headers={"HX-Request": "true"}).status_code == 200
    tag = Tag.objects.get(brand=brand)
    assert tag.name == "glasfaser"
    queue = anna_client.get(reverse("desk:queue"), {"tag": "glasfaser"}).content.decode()
    assert "Internet weg" in queue and '<span class="tag">glasfaser</span>' in queue
    Tag.objects.create(brand=brand, name="leer")
    assert "Internet weg" not in anna_client.get(reverse("desk:queue"), {"tag": "leer"}).content.decode()
    assert anna_client.get(reverse("desk:queue"), {"tag": "fremd"}).status_code == 400
    found = anna_client.get(reverse("desk:search"), {"q": "tag:Glasfaser"})
    assert found.status_code == 302 and "Internet weg" in anna_client.get(found["Location"]).content.decode()
    assert anna_client.post(url, {"remove": tag.pk}).status_code == 302
    assert not case.tags.exists()


def test_save_a_view_and_see_it_counted(case, brand, agents, anna_client):
    response = anna_client.post(
        reverse("desk:view_new"), {"name": "Offene Mails", "brand": brand.pk, "state": "", "channel": "email"}
    )
    view = SavedView.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:view", args=[view.pk])
    assert view.owner == agents["anna"] and view.filters == {"channel": "email"}
    nav = anna_client.get(reverse("desk:view_counts")).content.decode()
    assert "Offene Mails" in nav and '<span class="badge count">1</span>' in nav
    assert "Internet weg" in anna_client.get(reverse("desk:view", args=[view.pk])).content.decode()
    shared = anna_client.post(reverse("desk:view_new"), {"name": "Alle", "brand": brand.pk, "shared": "on"})
    assert shared.status_code == 400 and SavedView.objects.count() == 1  # sharing is for supervisors
    assert client_for("ben").get(reverse("desk:view", args=[view.pk])).status_code == 404  # Anna's own
    tag = Tag.objects.create(brand=brand, name="vip")
    form = anna_client.get(reverse("desk:view_new"), {"tag": "vip", "state": "waiting"}).content.decode()
    assert f'<option value="{tag.pk}" selected>vip</option>' in form  # "save as view" from the queue


def test_change_a_view_in_its_brand_as_its_owner_or_a_supervisor(case, brand, agents, anna_client, other_brand):
    from anliegen.core.models import Membership

    Membership.objects.create(agent=agents["anna"], brand=other_brand)
    view = SavedView.objects.create(brand=brand, owner=agents["anna"], name="Mails", filters={"channel": "email"})
    edit = reverse("desk:view_edit", args=[view.pk])
    page = anna_client.get(reverse("desk:view", args=[view.pk])).content.decode()
    assert f'href="{edit}"' in page
    form = anna_client.get(edit).content.decode()
    assert 'value="Mails"' in form and '<option value="email" selected>' in form
    posted = {"name": "Chats", "brand": other_brand.pk, "channel": "chat", "state": "all"}  # the brand is ignored
    assert anna_client.post(edit, posted)["Location"] == reverse("desk:view", args=[view.pk])
    view.refresh_from_db()
    assert (view.name, view.brand_id, view.filters) == ("Chats", brand.pk, {"channel": "chat", "state": "all"})
    assert client_for("ben").get(edit).status_code == 404  # a colleague's own view is not even seen
    shared = SavedView.objects.create(brand=brand, name="Team", filters={})
    shared_edit = reverse("desk:view_edit", args=[shared.pk])
    assert anna_client.get(shared_edit).status_code == 403
    assert "Change this view" not in anna_client.get(reverse("desk:view", args=[shared.pk])).content.decode()
    claire = client_for("claire")
    assert claire.post(shared_edit, {"name": "Team breach", "shared": "on", "sla": "breach"}).status_code == 302
    shared.refresh_from_db()
    assert shared.shared and shared.filters == {"sla": "breach"} and shared.name == "Team breach"


def test_bulk_solve_from_the_queue(case, brand, agents, mail_case, anna_client):
    second = mail_case(brand, "Rechnung falsch", owner=agents["ben"])
    response = anna_client.post(
        reverse("desk:bulk"), {"cases": [case.pk, second.pk], "action": "solve", "next": reverse("desk:queue")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("desk:queue")
    assert set(Case.objects.values_list("state", flat=True)) == {"solved"}
    evil = anna_client.post(
        reverse("desk:bulk"), {"cases": [case.pk], "action": "solve", "next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("desk:queue")


def test_brand_b_cannot_find_brand_a_tags(case, brand, agents, other_brand, dora_client):
    Tag.objects.create(brand=brand, name="geheim").cases.add(case)
    assert dora_client.get(reverse("desk:search"), {"q": "tag:geheim"}).status_code == 200  # no such tag for her
    assert dora_client.get(reverse("desk:queue"), {"tag": "geheim"}).status_code == 400
    Tag.objects.create(brand=other_brand, name="geheim")  # the same name in her brand: her cases only
    queue = dora_client.get(reverse("desk:queue"), {"tag": "geheim"})
    assert queue.status_code == 200 and "Internet weg" not in queue.content.decode()


def test_brand_b_cannot_act_on_brand_a_in_bulk_or_read_its_views(case, brand, agents, other_brand, dora_client):
    incident = Incident.objects.create(brand=brand, title="Geheime Störung", starts_at=timezone.now())
    started = timezone.now()
    view = SavedView.objects.create(brand=brand, name="Geheime Ansicht", filters={})
    for action, extra in (
        ("solve", {}),
        ("tag", {"tag": "fremd"}),
        ("assign", {"owner": other_brand.default_owner.pk}),
        ("incident", {"incident": incident.pk}),
    ):
        response = dora_client.post(reverse("desk:bulk"), {"cases": [case.pk], "action": action, **extra})
        assert response.status_code == 302, action
    case.refresh_from_db()
    assert case.state == "open" and case.owner == agents["anna"] and case.incident is None
    assert not case.tags.exists() and not AuditEntry.objects.filter(object_id=str(case.pk), at__gte=started).exists()
    assert dora_client.get(reverse("desk:view", args=[view.pk])).status_code == 404
    assert dora_client.post(reverse("desk:view_delete", args=[view.pk])).status_code == 404
    assert "Geheime Ansicht" not in dora_client.get(reverse("desk:view_counts")).content.decode()
    # A view of her own brand naming brand A's tag still shows only her brand's cases.
    tag = Tag.objects.create(brand=brand, name="geheim")
    case.tags.add(tag)
    dora_client.post(reverse("desk:view_new"), {"name": "Trick", "brand": brand.pk, "tag": tag.pk})
    assert not SavedView.objects.filter(name="Trick").exists()
    assert SavedView.objects.filter(brand=brand).count() == 1
    SavedView.objects.create(brand=other_brand, owner=other_brand.default_owner, name="Trick", filters={"tag": tag.pk})
    assert (
        "Internet weg"
        not in dora_client.get(reverse("desk:view", args=[SavedView.objects.get(name="Trick").pk])).content.decode()
    )


def test_supervisors_keep_text_blocks_in_the_desk(brand, agents, other_brand, anna_client):
    claire = client_for("claire")
    data = {"brand": brand.pk, "name": "Danke", "language": "de", "body": "Danke, {customer}!", "promise_hours": 24}
    response = claire.post(reverse("desk:macro_new"), data | {"active": "on", "set_state": "solved"})
    assert response.status_code == 302
    macro = Macro.objects.get()
    assert (macro.brand, macro.set_state, macro.active) == (brand, "solved", True)
    assert "Danke" in claire.get(reverse("desk:macros")).content.decode()
    same_name = claire.post(reverse("desk:macro_new"), data)
    assert same_name.status_code == 400 and Macro.objects.count() == 1
    credit = claire.post(reverse("desk:macro_new"), data | {"name": "Geld", "promise_kind": "credit"})
    assert credit.status_code == 400 and Macro.objects.count() == 1
    changed = claire.post(
        reverse("desk:macro", args=[macro.pk]), data | {"body": "Vielen Dank!", "brand": other_brand.pk}
    )
    assert changed.status_code == 302
    macro.refresh_from_db()
    assert macro.body == "Vielen Dank!" and macro.brand == brand and not macro.active  # brand stays
    assert anna_client.get(reverse("desk:macros")).status_code == 403  # an agent uses text blocks, keeps none
    assert anna_client.post(reverse("desk:macro", args=[macro.pk]), data).status_code == 404
    assert client_for("dora").get(reverse("desk:macro", args=[macro.pk])).status_code == 404
