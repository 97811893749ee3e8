"""Callbacks: dialled from the desk through the PBX backend, kept by an answered call, moved on when unanswered."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlencode

import pytest
from django.core import mail

from anliegen.channels.phone.dialers import DialError, locmem
from anliegen.channels.phone.dialers.http import HttpDialer
from anliegen.core.models import Agent, CaseEvent, Identity
from anliegen.promises.models import Promise

NUMBER = "493055571600"


@pytest.fixture(autouse=True)
def _locmem_dialer(settings):
    settings.PHONE_DIAL_BACKEND = "anliegen.channels.phone.dialers.locmem.LocmemDialer"
    locmem.requests.clear()


def zammad(post, **fields):
    assert post("zammad", urlencode(fields).encode()).status_code == 200


def missed_call(post) -> Promise:
    zammad(post, event="hangup", **{"from": NUMBER}, to="4940123456", direction="in", callId="in-1", cause="cancel")
    promise = Promise.objects.get(kind=Promise.Kind.CALLBACK)
    Identity.objects.create(
        contact=promise.case.contact, brand=promise.case.brand, kind="email", value="jana@example.org"
    )
    return promise


def our_call(post, call_id: str, cause: str, extension: str = "201") -> None:
    base = {"from": "4940123456", "to": NUMBER, "direction": "out", "callId": call_id}
    zammad(post, event="newCall", **base, **{"user[]": "Anna Schmidt"})
    if cause == "normalClearing":
        zammad(post, event="answer", **base, answeringNumber=extension)
    zammad(post, event="hangup", **base, answeringNumber=extension, cause=cause)


def test_dial_from_the_board_rings_the_agent_then_the_customer(client, post, agents):
    promise = missed_call(post)
    client.force_login(Agent.objects.get(mailbox="anna").user)
    response = client.post(f"/desk/phone/callbacks/{promise.pk}/dial/")
    assert response.status_code == 302
    [request] = locmem.requests
    assert (request["extension"], request["number"], request["reference"]) == (
        "201",
        "+493055571600",
        f"callback-{promise.pk}",
    )
    assert CaseEvent.objects.filter(case=promise.case, data__state="dialled").exists()


def test_answered_call_keeps_the_callback(post, agents):
    promise = missed_call(post)
    our_call(post, "out-1", "normalClearing")
    promise.refresh_from_db()
    assert promise.state == Promise.State.KEPT and promise.evidence == "call out-1"


def test_unanswered_attempt_is_rescheduled_and_the_customer_told_in_writing(post, agents, tasks):
    promise = missed_call(post)
    due = promise.due_at
    our_call(post, "out-2", "noAnswer")
    promise.refresh_from_db()
    assert promise.state == Promise.State.OPEN and promise.due_at > due
    assert CaseEvent.objects.filter(case=promise.case, data__state="rescheduled").exists()
    tasks()
    [notice] = [m for m in mail.outbox if "jana@example.org" in m.to]
    assert "nicht erreicht" in notice.body or "did not reach you" in notice.body
    # The next attempt reaches her: the same promise is kept.
    our_call(post, "out-3", "normalClearing")
    promise.refresh_from_db()
    assert promise.state == Promise.State.KEPT


class _Pbx(BaseHTTPRequestHandler):
    seen: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Pbx.seen.append((self.path, self.headers.get("Authorization"), json.loads(body)))
        self.send_response(_Pbx.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "pbx-77"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def pbx():
    server = HTTPServer(("127.0.0.1", 0), _Pbx)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Pbx.seen, _Pbx.status = [], 200
    yield f"http://127.0.0.1:{server.server_port}/dial"
    server.shutdown()


@pytest.mark.nodb
def test_http_dialer_posts_json_with_the_token(pbx):
    dialer = HttpDialer(url=pbx, token="pbx-secret")
    assert dialer.dial(extension="201", number="+493055571600", reference="callback-1") == "pbx-77"
    assert _Pbx.seen == [
        ("/dial", "Bearer pbx-secret", {"extension": "201", "number": "+493055571600", "reference": "callback-1"})
    ]
    _Pbx.status = 503
    with pytest.raises(DialError, match="503"):
        dialer.dial(extension="201", number="+493055571600", reference="callback-2")
