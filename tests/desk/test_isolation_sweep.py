"""The isolation sweep, beyond the desk walk of test_access.py: every URL of the site, every API operation (from
the OpenAPI schema) and every websocket route is either proven to answer brand B's agent with a 404 for brand A's
objects, or named below as public or brand-free with the reason. A new route that is neither fails here."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from anliegen.api.api import api
from anliegen.core.models import MergeProposal, Message
from anliegen.integrations import tokens

from .test_access import SECRETS, brand_a_objects  # noqa: F401 - the walk's fixture: one of everything of brand A

# Routes outside /desk/ and /api/ that show no brand's data to a signed-in agent of another brand, and why.
PUBLIC = {
    "favicon.ico": "a redirect to a static file",
    "set_language": "Django's language switch; no data",
    "phone:route": "the brand's PBX asks who takes a call; the line's secret key in the URL picks the brand",
    "phone:callback": "a callback booked on a call, by the signed, expiring offer of that call's routing answer",
    "chat:demo": "the brand's public demo page of the chat widget",
    "app:report": "in-app reports: the brand's app key decides the brand",
    "app:poll": "an app user's own report, by the signed token given to that app user",
    "csat:rate": "one survey, by its signed token from the customer's mail",
    "csat:rate_score": "one survey, by its signed token from the customer's mail",
    "portal:home": "the start page; no data",
    "portal:case": "the customer's own case, by its signed, expiring token",
    "portal:callback": "a callback booked on the customer's own case, by the case's signed, expiring token",
    "portal:attachment": "a file of the customer's own case, by the case token (the attachment must belong to it)",
    "portal:form": "the brand's public contact form",
    "portal:thanks": "the confirmation page after the form, by a signed reference",
    "social:continue": "the author of a public post continues privately, by the signed token sent to them",
}
PUBLIC |= {
    f"selfservice:{name}": "the brand's public help centre, status page and community (public by design)"
    for name in [
        "status",
        "status_feed",
        "status_badge",
        "community",
        "thread",
        "help",
        "help_search",
        "suggest",
        "solved",
        "article",
        "article_feedback",
    ]
}
# Provider webhooks: the one door into intake, each verified by the provider's signature or the brand's secret.
WEBHOOKS = {"phone", "x", "facebook", "whatsapp", "telegram", "sms", "email", "app", "chat", "teams"}
API_DOCS = {"api:openapi-json", "api:openapi-view", "api:api-root"}
# Websocket routes and where they are proven to be brand-scoped.
WEBSOCKETS = {
    "ws/desk/": "test_desk_socket_hears_nothing_of_brand_a (here; also who watches brand A's cases)",
    "ws/desk/chat/": "test_agent_chat_socket_refuses_brand_a_chats (here)",
    "ws/chat/<slug:brand>/": "public: the visitor's own conversation, by its resume token (tests/chat)",
}


def _routes(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            found += _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            found.append((namespace + entry.name if entry.name else prefix + str(entry.pattern), prefix))
    return found


@pytest.mark.nodb
def test_every_route_is_swept_or_named_public():
    api_paths = {p.replace("/api", "", 1) for p in api.get_openapi_schema(path_prefix="/api")["paths"]}
    unknown = []
    for name, prefix in _routes(get_resolver().url_patterns):
        if name.startswith("desk:"):
            continue  # test_access.py walks every desk route
        if name.startswith("admin:") or prefix.startswith("admin/"):
            continue  # the Django admin: staff only (they administer every brand)
        if name in PUBLIC or name in API_DOCS:
            continue
        if name.endswith("-webhook") and name.removesuffix("-webhook") in WEBHOOKS:
            continue
        if name.startswith("api:"):
            continue  # checked against the schema below
        unknown.append(name)
    assert not unknown, f"routes neither swept nor named public (add to PUBLIC with a reason): {unknown}"
    assert api_paths, "the API sweep needs the schema's operations"


def test_every_websocket_route_is_named():
    from anliegen.channels.chat.routing import agent_urlpatterns, visitor_urlpatterns
    from anliegen.desk.routing import websocket_urlpatterns

    routes = {str(p.pattern) for p in websocket_urlpatterns + agent_urlpatterns + visitor_urlpatterns}
    assert routes == set(WEBSOCKETS), "a websocket route needs its isolation test, named in WEBSOCKETS"


def _bodies(objects: dict) -> dict[str, dict]:
    """A valid body for every operation that takes one, so the request reaches the view's brand check."""
    due = (timezone.now() + timedelta(days=1)).isoformat()
    return {
        "update_case": {"state": "solved"},
        "create_promise": {"kind": "callback", "due_at": due},
        "escalate": {"need": {"credit_cents": 100}, "note": "x"},
        "add_message": {"kind": "note", "text": "x"},
        "keep": {"text": "BU-1"},
        "break_": {"text": "x"},
        "cancel": {"text": "x"},
        "update_contact": {"name": "x"},
        "add_identity": {"kind": "email", "value": "neu@example.org"},
        "resolve": {"resolution": "x"},
        "create_endpoint": {"brand_id": objects["brand"], "url": "https://evil.example/hook"},
    }


def _operations() -> list[tuple[str, str, str, bool]]:
    """(method, path template, operation name, has a body) of every API operation."""
    schema = api.get_openapi_schema(path_prefix="/api")
    found = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            name = op["operationId"].split("_", 3)[-1]
            found.append((method, path, name, "requestBody" in op))
    return found


def _call(client: Client, method: str, url: str, body: dict | None) -> object:
    send = getattr(client, method)
    if body is None:
        return send(url)
    return send(url, data=json.dumps(body), content_type="application/json")


MISSING = {name: 987654 for name in ("case_id", "promise_id", "contact_id", "identity_id", "incident_id")}
MISSING |= {name: 987654 for name in ("agent_id", "escalation_id", "proposal_id", "endpoint_id", "delivery_id")}


def _fill(path: str, objects: dict) -> str:
    import re

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "decision":
            return "merge"
        if name not in objects:
            pytest.fail(f"{path} takes {name}: add a brand A object for it to the sweep's objects")
        return str(objects[name])

    return re.sub(r"\{(\w+)\}", value, path)


@pytest.fixture
def api_objects(brand_a_objects, brand, agents):  # noqa: F811
    from anliegen.core.models import Contact

    other = Contact.objects.create(brand=brand, name="Jana Geheim Zwei")
    proposal = MergeProposal.objects.create(brand=brand, contact_id=brand_a_objects["contact_id"], other=other)
    endpoint = brand.webhook_endpoints.get()
    return brand_a_objects | {
        "proposal_id": proposal.pk,
        "agent_id": agents["anna"].pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": brand_a_objects["delivery_id"],
    }


def test_every_api_operation_of_brand_a_is_404_for_brand_b(api_objects, other_brand, brand):
    bodies = _bodies(api_objects)
    token = tokens.issue("KabelNet CRM", [other_brand], ["read", "write", "admin"])[1]
    callers = {
        "dora's session": Client(),
        "brand B's token": Client(headers={"Authorization": f"Bearer {token}"}),
    }
    callers["dora's session"].login(username="dora", password="test-pass-123")
    own = Client(headers={"Authorization": f"Bearer {tokens.issue('CRM', [brand], ['read', 'admin'])[1]}"})
    swept = 0
    for method, path, name, has_body in _operations():
        if has_body and name not in bodies:
            pytest.fail(f"{method.upper()} {path} ({name}) takes a body: add a valid one to _bodies")
        url = _fill(path, api_objects)
        for who, client in callers.items():
            response = _call(client, method, url, bodies.get(name) if has_body else None)
            content = b"".join(response.streaming_content) if response.streaming else response.content
            for secret in SECRETS:
                assert secret.encode() not in content, (who, method, path, secret)
            if "{" in path or name == "create_endpoint":
                refused = (who, method, path, response.status_code, content[:200])
                if response.status_code == 403:
                    # Refused whatever the id (an integration cannot do this at all): no existence leaks either.
                    missing = _call(client, method, _fill(path, MISSING), bodies.get(name) if has_body else None)
                    assert (missing.status_code, missing.content) == (403, content), refused
                else:
                    assert response.status_code == 404, refused
            else:
                assert response.status_code < 500, (who, method, path, response.status_code)
            swept += 1
        if "{" in path and method == "get":
            assert own.get(url).status_code == 200, ("brand A's own token must see", path)
    assert swept >= 60
    # Nothing of brand A changed.
    assert Message.objects.get(pk=api_objects["failed_id"]).delivery == Message.Delivery.FAILED
    assert brand.webhook_endpoints.count() == 1


def _socket_headers(username: str) -> list[tuple[bytes, bytes]]:
    from django.conf import settings

    client = Client()
    assert client.login(username=username, password="test-pass-123")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", cookie.encode())]


@pytest.mark.django_db(transaction=True)
def test_desk_socket_hears_nothing_of_brand_a(brand, agents, other_brand):
    from anliegen.asgi import application
    from anliegen.base import realtime
    from anliegen.core.models import Case, Contact

    contact = Contact.objects.create(brand=brand, name="Jana Geheim")
    case = Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="Geheimer Fall")
    headers, anna_headers = _socket_headers("dora"), _socket_headers("anna")

    async def run() -> None:
        socket = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        assert (await socket.connect())[0]
        await realtime.apublish({"type": "case.created", "brand": brand.pk, "case": 1, "subject": "Geheimer Fall"})
        assert await socket.receive_nothing(timeout=0.3)
        await realtime.apublish({"type": "case.created", "brand": other_brand.pk, "case": 2, "subject": "ihr Fall"})
        assert (await socket.receive_json_from(timeout=2))["case"] == 2  # the socket works: only A is kept away
        # Who has brand A's case open: Dora may neither join nor hear it.
        anna = WebsocketCommunicator(application, "/ws/desk/", headers=anna_headers)
        assert (await anna.connect())[0]
        await anna.send_json_to({"type": "watch", "case": case.pk, "state": "typing"})
        assert (await anna.receive_json_from(timeout=2))["type"] == "case.watching"
        await socket.send_json_to({"type": "watch", "case": case.pk})
        assert await socket.receive_json_from(timeout=2) == {"type": "case.watch_refused", "case": case.pk}
        await anna.send_json_to({"type": "watch", "case": case.pk, "state": "typing"})
        assert await socket.receive_nothing(timeout=0.3) and await anna.receive_nothing(timeout=0.1)
        await anna.disconnect()
        await socket.disconnect()

    async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_agent_chat_socket_refuses_brand_a_chats(brand, agents, other_brand):
    from anliegen.asgi import application
    from anliegen.channels.chat.models import Conversation
    from anliegen.core.models import Case, Contact

    contact = Contact.objects.create(brand=brand, name="Jana Geheim")
    case = Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="Geheimer Fall")
    conversation = Conversation.objects.create(brand=brand, case=case)
    headers = _socket_headers("dora")

    async def run() -> None:
        socket = WebsocketCommunicator(application, "/ws/desk/chat/", headers=headers)
        assert (await socket.connect())[0]
        await socket.send_to(text_data=json.dumps({"type": "say", "conversation": conversation.pk, "text": "hallo"}))
        answer = json.loads(await socket.receive_from(timeout=2))
        assert answer["type"] == "error" and answer["code"] == "not_found"
        await socket.send_to(text_data=json.dumps({"type": "typing", "conversation": conversation.pk}))
        assert await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()

    async_to_sync(run)()
    assert not Message.objects.filter(case=case).exists()


def test_queries_for_brand_a_find_nothing_for_brand_b(brand_a_objects, brand, agents, other_brand):  # noqa: F811
    """Pages that take no id but a query: search, reports (with brand A asked for), the audit log."""
    from django.urls import reverse

    from anliegen.audit import services as audit
    from anliegen.core.models import Contact, Membership
    from anliegen.core.setup import create_agent

    audit.record_views(agents["anna"], [Contact.objects.get(pk=brand_a_objects["contact_id"])], via="desk")
    create_agent(other_brand, "olaf", "Olaf Admin", "test-pass-123", role=Membership.Role.ADMIN)
    olaf = Client()
    assert olaf.login(username="olaf", password="test-pass-123")
    token = tokens.issue("KabelNet CRM", [other_brand], ["read", "admin"])[1]
    integration = Client(headers={"Authorization": f"Bearer {token}"})
    answers = {
        "desk search": olaf.get(reverse("desk:search"), {"q": "Fall"}),
        "api search (session)": olaf.get("/api/search", {"q": "Fall"}),
        "api search (token)": integration.get("/api/search", {"q": "Fall"}),
        "reports": olaf.get(reverse("desk:reports"), {"brand": brand.pk}),
        "reports csv": olaf.get(reverse("desk:reports_csv"), {"brand": brand.pk}),
        "audit log": olaf.get(reverse("desk:audit_log"), {"brand": brand.pk}),
        "audit log, object": olaf.get(reverse("desk:audit_log"), {"object_id": brand_a_objects["contact_id"]}),
    }
    for what, response in answers.items():
        assert response.status_code in (200, 400, 404), (what, response.status_code)
        for secret in (*SECRETS, "Anna Schmidt", "Stadtwerk"):
            assert secret.encode() not in response.content, (what, secret)
    assert b"No entries." in answers["audit log"].content
    anna = Client()
    assert anna.login(username="anna", password="test-pass-123")
    assert b"Geheimer Fall" in anna.get(reverse("desk:search"), {"q": "Fall"}).content  # the query does find it
