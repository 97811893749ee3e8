"""Role boundaries: every desk URL, API operation and websocket route names the lowest role of a brand that may use
it. Below that role, in the object's brand, the answer is a 403 or 404 (never its data, never a 500) — also for
someone who holds the role in another brand; from that role on, the request gets through. A route without an
entry fails here, like the isolation sweep. An integration's token needs the scopes TOKEN_SCOPES names."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from anliegen.core.models import Membership
from anliegen.core.setup import create_agent
from anliegen.integrations import tokens
from tests.conftest import PASSWORD

from .conftest import client_for
from .test_access import SECRETS, _converters, _patterns, brand_a_objects  # noqa: F401 - the fixture
from .test_isolation_sweep import _bodies, _call, _fill, _operations, _socket_headers, api_objects  # noqa: F401

AGENT, SUPERVISOR, ADMIN = "agent", "supervisor", "admin"
PUBLIC = "public"  # the sign-in steps: before anyone is an agent

SUPERVISOR_PAGES = ["outbox", "outbox_mail", "reports", "reports_csv", "csat_follow_ups", "csat_finish"]
SUPERVISOR_PAGES += ["macros", "macro_new", "macro"]
# The fixture's view is shared: its brand's supervisors change it (one's own view its owner: test_workday.py).
SUPERVISOR_PAGES += ["view_edit"]
SUPERVISOR_PAGES += ["incident_new", "incident_update", "proposal_decide", "version_review", "contact_export"]
ADMIN_PAGES = ["audit_log", "contact_erase", "webhook_log", "webhook_replay", "channel_health", "channel_check"]
ADMIN_PAGES += ["two_factor_team", "two_factor_reset"]
AGENT_PAGES = ["inbox", "queue", "case", "reply", "note", "state", "reassign", "message_html", "retry", "attachment"]
AGENT_PAGES += ["contact", "case_incident", "article_links", "articles", "article_new", "article", "search"]
AGENT_PAGES += ["community", "community_thread", "community_act", "community_moderate", "incidents", "incident"]
AGENT_PAGES += ["incident_solve", "chats", "chat_panel", "phone_board", "phone_toggle", "phone_pop", "phone_note"]
AGENT_PAGES += ["phone_summary", "phone_dial", "whatsapp_template", "case_panels", "promise_create"]
AGENT_PAGES += ["promise_action", "escalate", "escalation_resolve", "identity_code", "case_merge", "case_split"]
AGENT_PAGES += ["promise_ledger", "escalations", "merge_proposals"]
AGENT_PAGES += ["apply_macro", "case_tags", "bulk", "view_counts", "view_new", "view", "view_delete"]
AGENT_PAGES += ["draft"]
# One's own account: every agent, about themselves only.
AGENT_PAGES += ["presence", "leave", "two_factor", "two_factor_setup", "two_factor_recovery", "two_factor_off"]

DESK: dict[str, str] = {
    name: PUBLIC for name in ("login", "logout", "login_code", "login_enrol", "sso_start", "sso_callback")
}
DESK |= {name: AGENT for name in AGENT_PAGES}
DESK |= {name: SUPERVISOR for name in SUPERVISOR_PAGES}
DESK |= {name: ADMIN for name in ADMIN_PAGES}

# API operations by name; for an integration's token the admin scope stands for the supervisor and admin rows.
API: dict[str, str] = {"export_contact": SUPERVISOR, "erase_contact": ADMIN}
API |= {name: ADMIN for name in ("list_endpoints", "create_endpoint", "delete_endpoint", "list_deliveries", "replay")}
API_AGENT = ["list_cases", "case_detail", "update_case", "create_promise", "escalate", "list_messages"]
API_AGENT += ["add_message", "list_promises", "promise_detail", "keep", "break_", "cancel", "list_contacts"]
API_AGENT += ["contact_detail", "update_contact", "list_identities", "identity_detail", "add_identity"]
API_AGENT += ["list_incidents", "incident_detail", "list_agents", "agent_detail", "search", "open_escalations"]
API_AGENT += ["resolve", "proposals", "decide"]
API |= {name: AGENT for name in API_AGENT}

WEBSOCKETS = {"ws/desk/": AGENT, "ws/desk/chat/": AGENT, "ws/chat/<slug:brand>/": PUBLIC}

# Who is below each role in brand A: only there, and the same role in A while admin of brand B (a role in
# another brand must count for nothing in A).
BELOW = {SUPERVISOR: ["anna", "ben+B"], ADMIN: ["claire", "sven+B"]}
ALLOWED = {AGENT: "anna", SUPERVISOR: "claire", ADMIN: "ada"}
# Agent routes whose object in the fixture is not of the kind they act on: a 404 there is no role refusal.
NOT_FITTING = {
    "phone_dial": "the fixture's promise is a credit, and only a callback is dialled",
    "whatsapp_template": "no template of the brand is posted",
    "apply_macro": "no macro of the brand is posted",
}
POSTED = {"text": "x", "state": "solved", "note": "x", "presence": "away", "decision": "approve"}


def test_every_route_has_a_lowest_role():
    from anliegen.channels.chat.routing import agent_urlpatterns, visitor_urlpatterns
    from anliegen.desk.routing import websocket_urlpatterns

    desk = {p.name for p in _patterns()}
    assert desk == set(DESK), f"desk URLs without a role entry: {desk - set(DESK)}; stale: {set(DESK) - desk}"
    api = {name for _method, _path, name, _body in _operations()}
    assert api == set(API), f"API operations without a role entry: {api - set(API)}; stale: {set(API) - api}"
    sockets = {str(p.pattern) for p in websocket_urlpatterns + agent_urlpatterns + visitor_urlpatterns}
    assert sockets == set(WEBSOCKETS), "a websocket route needs its lowest role in WEBSOCKETS"


@pytest.fixture
def people(agents, brand, other_brand):
    """Brand A's agent, supervisor and admin, and two who hold brand B's admin role beside a lower one in A."""
    ada = create_agent(brand, "ada", "Ada Admin", PASSWORD, role=Membership.Role.ADMIN)
    sven = create_agent(brand, "sven", "Sven Supervisor", PASSWORD, role=Membership.Role.SUPERVISOR)
    for agent in (agents["ben"], sven):
        Membership.objects.create(agent=agent, brand=other_brand, role=Membership.Role.ADMIN)
    return {"ada": ada, "sven": sven}


def _login(name: str) -> Client:
    return client_for(name.removesuffix("+B"))


def _desk_request(client: Client, name: str, objects: dict) -> tuple[object, bool]:
    pattern = next(p for p in _patterns() if p.name == name)
    kwargs = {key: objects[key] for key in _converters(pattern)}
    url = reverse(f"desk:{name}", kwargs=kwargs)
    response = client.get(url, {"brand": objects["brand"]} if not kwargs else {})
    if response.status_code == 405:
        retry = {"message_id": objects["failed_id"]} if name == "retry" else kwargs
        response = client.post(reverse(f"desk:{name}", kwargs=retry), POSTED)
    return response, bool(kwargs)


def _content(response: object) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _refused(who: str, what: str, response: object, about_an_object: bool) -> None:
    content = _content(response)
    for secret in SECRETS:
        assert secret.encode() not in content, (who, what, secret)
    if about_an_object or not who.endswith("+B"):
        assert response.status_code in (403, 404), (who, what, response.status_code, content[:300])
    else:  # a list page: their brand B's rows, nothing of brand A
        assert response.status_code < 500, (who, what, response.status_code)


def _through(who: str, what: str, response: object) -> None:
    refusals = (401, 403) if what in NOT_FITTING else (401, 403, 404)
    assert response.status_code not in refusals, (who, what, response.status_code, _content(response)[:300])
    assert response.status_code < 500, (who, what, response.status_code)


@pytest.mark.parametrize("name", sorted(n for n, role in DESK.items() if role != PUBLIC))
def test_desk_route_refuses_lower_roles(name, brand_a_objects, people):  # noqa: F811
    lowest = DESK[name]
    for who in BELOW.get(lowest, []):
        response, about_an_object = _desk_request(_login(who), name, brand_a_objects)
        _refused(who, name, response, about_an_object)
    who = ALLOWED[lowest]
    response, _about = _desk_request(_login(who), name, brand_a_objects)
    _through(who, name, response)


QUERIES = {"search": "?q=Fall"}  # operations whose query is required: without it the schema answers first


def _api_request(client: Client, operation: tuple, objects: dict) -> object:
    method, path, name, has_body = operation
    body = _bodies(objects).get(name) if has_body else None
    return _call(client, method, _fill(path, objects) + QUERIES.get(name, ""), body)


@pytest.mark.parametrize("operation", sorted(_operations()), ids=lambda op: op[2] if isinstance(op, tuple) else op)
def test_api_operation_refuses_lower_roles(operation, api_objects, people):  # noqa: F811
    method, path, name, _has_body = operation
    lowest = API[name]
    for who in BELOW.get(lowest, []):
        response = _api_request(_login(who), operation, api_objects)
        _refused(who, f"{method} {path}", response, "{" in path or method != "get")
    who = ALLOWED[lowest]
    _through(who, f"{method} {path}", _api_request(_login(who), operation, api_objects))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", [r for r, role in WEBSOCKETS.items() if role == AGENT])
def test_agent_socket_needs_an_agent(route, agents):
    """The desk's sockets take agents only: an account without an agent profile is closed, an agent is in."""
    from anliegen.asgi import application

    get_user_model().objects.create_user("otto", password=PASSWORD)
    otto, anna = _socket_headers("otto"), _socket_headers("anna")

    async def run() -> None:
        stranger = WebsocketCommunicator(application, f"/{route}", headers=otto)
        connected, code = await stranger.connect()
        assert not connected and code == 4403
        agent = WebsocketCommunicator(application, f"/{route}", headers=anna)
        assert (await agent.connect())[0]
        await agent.disconnect()

    async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_chat_socket_checks_the_brand_on_every_frame(brand, agents):
    """A membership taken away while the socket is open: the next line about that brand's chat is refused."""
    from anliegen.asgi import application
    from anliegen.channels.chat.models import Conversation
    from anliegen.core.models import Case, Contact, Message

    contact = Contact.objects.create(brand=brand, name="Jana Geheim")
    case = Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="Chat")
    conversation = Conversation.objects.create(brand=brand, case=case)
    headers = _socket_headers("ben")

    async def run() -> None:
        socket = WebsocketCommunicator(application, "/ws/desk/chat/", headers=headers)
        assert (await socket.connect())[0]
        await socket.send_to(text_data=json.dumps({"type": "say", "conversation": conversation.pk, "text": "eins"}))
        assert json.loads(await socket.receive_from(timeout=2))["type"] == "said"
        await Membership.objects.filter(agent=agents["ben"], brand=brand).adelete()
        await socket.send_to(text_data=json.dumps({"type": "say", "conversation": conversation.pk, "text": "zwei"}))
        answer = json.loads(await socket.receive_from(timeout=2))
        assert answer["type"] == "error" and answer["code"] == "not_found"
        await socket.disconnect()

    async_to_sync(run)()
    assert list(Message.objects.filter(case=case).values_list("body_text", flat=True)) == ["eins"]


# An integration's token: the scopes each operation needs (None: agents only, never a token).
TOKEN_AGENTS_ONLY = {"open_escalations", "resolve", "decide", "escalate"}
TOKEN_SCOPES: dict[str, set[str] | None] = {name: None for name in TOKEN_AGENTS_ONLY}
TOKEN_SCOPES |= {name: {"admin"} for name, role in API.items() if role == ADMIN and name != "erase_contact"}
TOKEN_SCOPES |= {"export_contact": {"read", "admin"}, "erase_contact": {"read", "admin"}}
ALL_SCOPES = {"read", "write", "admin"}


def _token_scopes(method: str, name: str) -> set[str] | None:
    if name in TOKEN_SCOPES:
        return TOKEN_SCOPES[name]
    return {"read"} if method == "get" else {"write"}


@pytest.mark.parametrize("operation", sorted(_operations()), ids=lambda op: op[2] if isinstance(op, tuple) else op)
def test_api_operation_refuses_tokens_without_its_scope(operation, api_objects, brand):  # noqa: F811
    method, path, name, _has_body = operation
    needed = _token_scopes(method, name)

    def token_client(scopes: set[str]) -> Client:
        token = tokens.issue("CRM", [brand], sorted(scopes))[1]
        return Client(headers={"Authorization": f"Bearer {token}"})

    if needed is None:
        response = _api_request(token_client(ALL_SCOPES), operation, api_objects)
        assert response.status_code == 403, (name, response.status_code)
        return
    for missing in needed:
        response = _api_request(token_client(ALL_SCOPES - {missing}), operation, api_objects)
        _refused(f"token without {missing}", f"{method} {path}", response, True)
        assert response.status_code == 403, (name, missing, response.status_code)
    _through("token", f"{method} {path}", _api_request(token_client(needed), operation, api_objects))


@pytest.mark.django_db(transaction=True)
def test_open_desk_sockets_follow_the_memberships(brand, agents, other_brand, settings):
    """A brand taken away while the desk's sockets are open: its pushes stop within the recheck; a deactivated
    account's socket is closed."""
    from channels.layers import get_channel_layer

    from anliegen.asgi import application
    from anliegen.base import realtime
    from anliegen.channels.chat.outbound import desk_group

    settings.DESK_SOCKET_RECHECK_SECONDS = 0.05
    headers = _socket_headers("ben")

    async def run() -> None:
        desk = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        chat = WebsocketCommunicator(application, "/ws/desk/chat/", headers=headers)
        assert (await desk.connect())[0] and (await chat.connect())[0]
        await realtime.apublish({"type": "case.created", "brand": brand.pk, "case": 1})
        assert (await desk.receive_json_from(timeout=2))["case"] == 1  # a member: hears the brand
        await Membership.objects.filter(agent=agents["ben"], brand=brand).adelete()
        await Membership.objects.acreate(agent=agents["ben"], brand=other_brand)
        await asyncio.sleep(0.4)
        await realtime.apublish({"type": "case.created", "brand": brand.pk, "case": 2})
        frame = {"type": "chat.frame", "frame": {"type": "line", "text": "Geheimer Chat"}}
        await get_channel_layer().group_send(desk_group(brand.pk), frame)
        assert await desk.receive_nothing(timeout=0.3) and await chat.receive_nothing(timeout=0.3)
        await realtime.apublish({"type": "case.created", "brand": other_brand.pk, "case": 3})
        assert (await desk.receive_json_from(timeout=2))["case"] == 3  # the brand given is joined
        await get_user_model().objects.filter(username="ben").aupdate(is_active=False)
        assert (await desk.receive_output(timeout=2))["type"] == "websocket.close"
        await chat.disconnect()

    async_to_sync(run)()
