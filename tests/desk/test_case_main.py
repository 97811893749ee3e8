"""The case page's main part is rendered once per look (desk/case_main.py): every change to what it shows is shown."""

from __future__ import annotations

from unittest import mock

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from anliegen.core.models import Agent, Case, Identity, Incident
from anliegen.desk import case_main
from anliegen.desk.models import Draft
from anliegen.workday.models import CaseTag, Macro, Tag

pytestmark = pytest.mark.django_db


def _renders(client, url: str) -> tuple[int, str]:
    template = case_main._templates()[0]
    with mock.patch.object(template, "render", wraps=template.render) as render:
        body = client.get(url).content.decode()
    return render.call_count, body


def test_an_unchanged_case_comes_from_the_cache_and_every_change_is_shown(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Zwischenspeicher", owner=agents["anna"])
    url = reverse("desk:case", args=[case.pk])
    anna_client.get(url)
    assert _renders(anna_client, url)[0] == 0
    # Each change is written around the services (no updated_at touched): only the look can tell.
    changes = [
        (lambda: Case.objects.filter(pk=case.pk).update(subject="Neuer Betreff"), "Neuer Betreff"),
        (lambda: Case.objects.filter(pk=case.pk).update(state="waiting"), 'class="badge waiting"'),
        (lambda: Agent.objects.filter(pk=agents["anna"].pk).update(extension="4711"), "4711"),
        (lambda: Agent.objects.filter(pk=agents["ben"].pk).update(name="Benedikt Wagner"), "Benedikt Wagner"),
        (lambda: Identity.objects.filter(contact_id=case.contact_id).update(verified=True), "✓"),
        (lambda: CaseTag.objects.create(case=case, tag=Tag.objects.create(brand=brand, name="rueckruf")), "rueckruf"),
        (lambda: Macro.objects.create(brand=brand, name="Abschlag erklären", body="x"), "Abschlag erklären"),
        (lambda: Draft.objects.create(agent=agents["anna"], case=case, kind="note", text="Zähler"), ">\nZähler</"),
        (
            lambda: Incident.objects.create(brand=brand, title="Störung Nord", starts_at=timezone.now()),
            "Störung Nord",
        ),
    ]
    for change, shown in changes:
        change()
        renders, body = _renders(anna_client, url)
        assert renders == 1 and shown in body, shown
    assert "csrf-slot" not in body
    renders, body = _renders(anna_client, url + "?x=1")
    assert renders == 0


def test_the_language_another_agent_and_an_edited_template_are_other_looks(agents, anna_client, mail_case, brand):
    from .conftest import client_for

    case = mail_case(brand, "Sprachen", owner=agents["anna"])
    url = reverse("desk:case", args=[case.pk])
    assert "Reply to the customer" in anna_client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Reply to the customer" not in anna_client.get(url, headers={"accept-language": "de"}).content.decode()
    Draft.objects.create(agent=agents["anna"], case=case, kind="reply", text="Nur für Anna")
    assert "Nur für Anna" in anna_client.get(url).content.decode()
    assert "Nur für Anna" not in client_for("ben").get(url).content.decode()  # Ben's composer is his own
    source = case_main._templates()[0].template.source
    edited = engines["django"].from_string(source.replace('class="case-main"', 'class="case-main" data-edited'))
    with mock.patch.object(case_main, "_templates", return_value=[edited, *case_main._templates()[1:]]):
        assert "data-edited" in anna_client.get(url).content.decode()


def test_an_action_with_an_error_renders_afresh_and_the_forms_carry_this_requests_token(
    agents, mail_case, brand, anna_client
):
    from django.test import Client

    from .conftest import PASSWORD

    case = mail_case(brand, "Fehler", owner=agents["anna"])
    url = reverse("desk:case", args=[case.pk])
    anna_client.get(url)  # another browser's view cached the part
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="anna", password=PASSWORD)
    body = strict.get(url).content.decode()
    form = body.split(f'action="{reverse("desk:note", args=[case.pk])}"')[1].split("</form>")[0]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post(reverse("desk:note", args=[case.pk]), {"csrfmiddlewaretoken": token, "text": ""},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 422 and "errorlist" in response.content.decode()
    assert "csrf-slot" not in response.content.decode()


def test_changed_translations_are_other_looks(agents, anna_client, mail_case, brand):
    from anliegen.desk import fragments, timeline

    case = mail_case(brand, "Übersetzung", owner=agents["anna"])
    url = reverse("desk:case", args=[case.pk])
    anna_client.get(url)
    assert _renders(anna_client, url)[0] == 0
    # A release with a corrected German or English text: the same language, other translations.
    with (
        mock.patch.object(fragments, "_catalog_digest", return_value="corrected"),
        mock.patch.object(timeline, "_render", wraps=timeline._render) as entries,
    ):
        assert _renders(anna_client, url)[0] == 1 and entries.call_count > 0
    assert fragments._catalog_digest("de") != fragments._catalog_digest("en")
