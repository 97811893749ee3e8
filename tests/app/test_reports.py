"""In-app reports: the key, the shape, the confirmation as the response, grouping, the answer in-app or by mail."""

from __future__ import annotations

import base64
import json

import pytest
from django.core import mail
from django.test import Client

from anliegen.channels.app import keys
from anliegen.channels.app.models import AppKey, ReportGroup
from anliegen.core.models import Case, Identity
from anliegen.core.services import case_updates
from anliegen.intake.models import Inbound

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CRASH_LOG = "12:01:07 start\n12:01:09 AuthService: FATAL NullPointerException at LoginView.kt:88\n"


@pytest.fixture
def key(brand, agents) -> str:
    return keys.issue(brand, "Android app")[1]


def post(key: str, body: dict | bytes, brand: str = "stadtwerk") -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body)
    response = Client().post(
        f"/channels/app/{brand}/reports", data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    return response.status_code, response.json()


def report(**fields: object) -> dict:
    return {
        "report_id": "r1",
        "user_id": "u-17",
        "text": "Die App stürzt beim Anmelden ab",
        "app_version": "3.2.1",
        "device": "Pixel 7",
        "os": "Android 14",
        "log": CRASH_LOG,
        **fields,
    }


def test_report_becomes_a_case_and_the_response_is_the_confirmation(key, brand):
    status, body = post(key, report(screenshot=base64.b64encode(PNG).decode()))
    assert status == 201, body
    case = Case.objects.select_related("owner").get()
    assert body["state"] == "processed" and body["owner"] == {"name": case.owner.name}
    assert body["reply_by"] == case.answer_due_at.isoformat() and body["answer_via"] == "poll"
    assert body["poll_url"].startswith("http://testserver/channels/app/stadtwerk/reports/")
    assert case.preferred_channel == "app"
    assert Identity.objects.filter(kind="app_user_id", value="u-17", contact=case.contact).exists()
    message = case.messages.get()
    assert "App 3.2.1 · Pixel 7 · Android 14" in message.body_text
    assert sorted(a.filename for a in message.attachments.all()) == ["log.txt", "screenshot"]
    # A resend (the app did not see the answer) is the same report, not a second case.
    again_status, again = post(key, report(screenshot=base64.b64encode(PNG).decode()))
    assert again_status == 200 and (again["owner"], again["reply_by"]) == (body["owner"], body["reply_by"])
    assert Case.objects.count() == 1 and Inbound.objects.count() == 1


def test_same_version_and_error_are_grouped(key):
    post(key, report())
    post(key, report(report_id="r2", user_id="u-99", log=CRASH_LOG.replace("88", "91")))
    status, body = post(key, report(report_id="r3", user_id="u-5", app_version="3.2.2"))
    assert status == 201
    groups = {(g.app_version, g.count) for g in ReportGroup.objects.all()}
    assert groups == {("3.2.1", 2), ("3.2.2", 1)}
    assert ReportGroup.objects.get(app_version="3.2.1").signature == (
        "#:#:# AuthService: FATAL NullPointerException at LoginView.kt:#"
    )
    assert body["group"]["reports"] == 1


def test_answer_reaches_the_poll_and_by_mail_when_asked(key, brand, agents, tasks):
    _status, body = post(key, report(answer_via="email", email="jana@example.org"))
    case = Case.objects.get()
    case_updates.reply(case, case.owner, "Bitte installieren Sie 3.2.2, dort ist es behoben.", None, "waiting")
    tasks()
    poll = Client().get(body["poll_url"]).json()
    assert [m["from"] for m in poll["messages"]] == ["user", "agent"]
    assert poll["messages"][1]["text"].startswith("Bitte installieren")
    assert [m.to for m in mail.outbox] == [["jana@example.org"]]


@pytest.mark.parametrize(
    ("header", "status"),
    [("", 401), ("Bearer ak_123456789abc_wrong", 401), ("Basic dXNlcjpwYXNz", 401)],
)
def test_bad_keys_are_401_in_the_error_shape(key, header, status):
    response = Client().post(
        "/channels/app/stadtwerk/reports", data=json.dumps(report()), content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == status
    assert set(response.json()) == {"code", "detail"} and response.json()["code"] == "unauthorized"
    assert not Inbound.objects.exists()


def test_revoked_key_and_another_brands_key_are_refused(key, brand, other_brand):
    other_key = keys.issue(other_brand, "KabelNet app")[1]
    assert post(other_key, report())[0] == 401  # a key only speaks for its own brand
    assert keys.revoke(AppKey.objects.get(brand=brand).prefix)
    assert post(key, report())[0] == 401
    assert AppKey.objects.get(brand=brand).key_hash not in key  # only a hash is kept


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (report(text=""), "text"),
        (report(user_id=None), "user_id"),
        (report(colour="red"), "colour"),
        (report(answer_via="pigeon"), "answer_via"),
    ],
)
def test_invalid_reports_name_the_field(key, body, field):
    status, problem = post(key, body)
    assert status == 400 and problem["code"] == "invalid"
    assert field in [e["field"] for e in problem["errors"]]
    assert not Inbound.objects.exists()


def test_not_json_and_not_an_image_are_clear_400s(key):
    assert post(key, b"\xffnot json")[1]["code"] == "invalid"
    status, problem = post(key, report(screenshot=base64.b64encode(b"MZ\x90 program").decode()))
    assert (status, problem["detail"]) == (400, "the screenshot must be a base64 PNG or JPEG")


def test_poll_link_is_signed(key):
    assert Client().get("/channels/app/stadtwerk/reports/forged-token/").status_code == 404


def test_reports_are_rate_limited_per_key(key, settings):
    from django.core.cache import cache

    cache.clear()  # the earlier tests' reports counted in the same minute
    settings.APP_REPORT_RATE = "2/m"
    codes = [post(key, report(report_id=f"r{n}", user_id=f"u{n}"))[0] for n in range(3)]
    assert codes == [201, 201, 429]
    refused = Client().post(
        "/channels/app/stadtwerk/reports", data=json.dumps(report(report_id="r9", user_id="u9")),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60


def test_appkey_command_shows_the_key_once_and_revokes(brand, agents, capsys):
    from django.core.management import call_command

    call_command("appkey", "create", "stadtwerk", "iOS app")
    plain = capsys.readouterr().out.strip()
    stored = AppKey.objects.get()
    assert plain.startswith(f"ak_{stored.prefix}_") and plain not in str(stored.__dict__)
    assert post(plain, report())[0] == 201
    call_command("appkey", "list")
    assert f"{stored.prefix}  stadtwerk" in capsys.readouterr().out
    call_command("appkey", "revoke", stored.prefix)
    assert post(plain, report(report_id="r9"))[0] == 401
