"""The provider stand-in and the API client the senders use: scripted answers, recorded requests, refusals."""

from __future__ import annotations

import pytest

from anliegen.channels.messaging.http import ProviderError, call
from anliegen.channels.testing import Answer, Provider


@pytest.fixture
def api():
    with Provider() as provider:
        yield provider


def test_answers_in_order_then_repeats_the_last_and_records_each_request(api):
    api.on(
        "POST",
        "/v21.0/106540352242922/messages",
        Answer(503, json={"error": {"message": "busy", "code": 2}}),
        Answer(json={"messages": [{"id": "wamid.A"}]}),
    )
    url = f"{api.url}/v21.0/106540352242922/messages"
    with pytest.raises(ProviderError) as refused:
        call("POST", url, json={"to": "491701234567"}, bearer="t0ken")
    assert (refused.value.status, refused.value.permanent, refused.value.code) == (503, False, "2")
    assert "busy" in str(refused.value)
    assert call("POST", url, json={"to": "491701234567"}).json() == {"messages": [{"id": "wamid.A"}]}
    assert call("POST", url, json={}).json()["messages"][0]["id"] == "wamid.A"
    first = api.received("POST")[0]
    assert first.headers["Authorization"] == "Bearer t0ken"
    assert first.json() == {"to": "491701234567"}
    assert len(api.received(path="^/v21.0/[0-9]+/messages")) == 3


def test_form_bodies_basic_auth_and_query_are_recorded(api):
    api.on("POST", "^/2010-04-01/Accounts/AC[0-9a-f]+/Messages.json", Answer(201, json={"sid": "SM1"}))
    answer = call(
        "POST",
        f"{api.url}/2010-04-01/Accounts/AC12ab/Messages.json?x=1",
        form={"To": "+4917", "Body": "Hallo ä"},
        basic=("AC12ab", "secret"),
    )
    assert (answer.status, answer.json()) == (201, {"sid": "SM1"})
    [request] = api.requests
    assert request.form() == {"To": ["+4917"], "Body": ["Hallo ä"]}
    assert request.query == {"x": ["1"]}
    assert request.headers["Authorization"] == "Basic QUMxMmFiOnNlY3JldA=="


def test_a_client_error_is_permanent_a_dropped_connection_and_an_unknown_route_are_not(api):
    api.on(
        "GET", "/bot123:abc/getMe", Answer(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"})
    )
    api.on("GET", "/gone", Answer(drop=True))
    with pytest.raises(ProviderError) as unauthorized:
        call("GET", f"{api.url}/bot123:abc/getMe")
    assert unauthorized.value.permanent and "Unauthorized" in str(unauthorized.value)
    with pytest.raises(ProviderError) as dropped:
        call("GET", f"{api.url}/gone", timeout=2)
    assert not dropped.value.permanent and dropped.value.status == 0
    with pytest.raises(ProviderError) as missing:
        call("GET", f"{api.url}/nothing-here")
    assert missing.value.status == 404
    assert [r.path for r in api.requests] == ["/bot123:abc/getMe", "/gone", "/nothing-here"]


def test_binary_answers_and_a_stopped_provider():
    provider = Provider().start()
    provider.on("GET", "/media/1", Answer(body=b"\x89PNG...", content_type="image/png"))
    answer = call("GET", f"{provider.url}/media/1")
    assert (answer.body, answer.content_type) == (b"\x89PNG...", "image/png")
    url = provider.url
    provider.stop()
    with pytest.raises(ProviderError, match="cannot be reached"):
        call("GET", f"{url}/media/1", timeout=2)
