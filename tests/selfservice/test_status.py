"""The public status page: current incidents and updates, postcode lookup, 90 days of history, Atom, badge, cache."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from django.test import Client
from django.utils import timezone

from anliegen.core.models import Incident
from anliegen.selfservice.services import incidents


def page(client: Client, path: str = "/stadtwerk/status/", **params: str) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_shows_current_incidents_with_areas_and_updates_in_both_languages(client, outage, agents):
    incidents.do_update(outage, agents["claire"], "Techniker tauscht ein Bauteil.", "The technician replaces a part.")
    german = page(client, lang="de")
    assert "Kein TV-Signal in Hamburg-Nord" in german and "Techniker tauscht ein Bauteil." in german
    assert "224" in german and 'lang="de"' in german
    english = page(client, lang="en")
    assert "No TV signal in Hamburg North" in english and "The technician replaces a part." in english
    assert 'lang="en"' in english and "1 known disruption" in english


def test_postcode_lookup(client, outage):
    assert "is affected by" in page(client, lang="en", postcode="22529")
    assert "no disruption for 50667" in page(client, lang="en", postcode="50667")
    unknown = page(client, lang="en", postcode="<b>12</b>")
    assert "is not a postcode we know" in unknown and "<b>12</b>" not in unknown


def test_history_keeps_ninety_days(client, brand, agents):
    recent = incidents.do_open(brand, None, title="Gestern behoben", description="x")
    old = incidents.do_open(brand, None, title="Vor Monaten", description="x")
    incidents.do_close(recent, None, "Behoben")
    incidents.do_close(old, None, "Behoben")
    Incident.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - timedelta(days=91))
    shown = page(client, lang="de")
    assert "Gestern behoben" in shown and "Vor Monaten" not in shown
    assert "Keine bekannte Störung" in shown or "No known disruption" in shown


def test_a_change_shows_at_once_despite_the_cache(client, brand, outage, agents, django_capture_on_commit_callbacks):
    assert "Neue Lage" not in page(client, lang="de")
    with django_capture_on_commit_callbacks(execute=True):
        incidents.do_update(outage, agents["claire"], "Neue Lage.")
    assert "Neue Lage." in page(client, lang="de")
    with django_capture_on_commit_callbacks(execute=True):
        incidents.do_close(outage, agents["claire"], "Behoben.")
    assert "Kein TV-Signal in Hamburg-Nord" in page(client, lang="de")  # now in the history
    assert "Keine bekannte Störung" in page(client, lang="de") or "No known disruption" in page(client, lang="de")


def test_cached_page_reads_no_database(client, outage, django_assert_num_queries):
    page(client, lang="de")
    with django_assert_num_queries(0):
        page(client, lang="de")


def test_atom_feed_and_badge(client, outage, agents):
    incidents.do_update(outage, agents["claire"], "Zwischenstand.", "Interim news.")
    feed = client.get("/stadtwerk/status/feed.atom", {"lang": "en"})
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2 and "Interim news." in feed.content.decode()
    badge = client.get("/stadtwerk/status/badge.svg", {"lang": "en"})
    assert badge["Content-Type"].startswith("image/svg+xml") and badge["Access-Control-Allow-Origin"] == "*"
    assert "1 disruption" in badge.content.decode()


def test_unknown_brand_is_404(client, brand):
    assert client.get("/nobody/status/").status_code == 404
