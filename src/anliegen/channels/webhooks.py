"""The one door for providers that push events over HTTP (Twilio, Meta, Telegram, X, a phone system...).

A channel gives a Webhook subclass (its spec's `webhook`); the door does the rest, the same way for all:
verify the signature -> store each event's raw bytes durably and idempotently (intake.accept) -> answer.
A bad signature is 403 and logged, a page or account nobody set up is 404 without detail, a body the channel cannot read is 400 with the reason, a database that cannot
store is 503 (the provider retries; nothing was answered 200 that is not stored). Never a 500.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from anliegen.intake.accept import Accepted, accept, accept_many, process_now

from . import registry

log = logging.getLogger(__name__)


class Malformed(ValueError):
    """The body is not what the provider documents; the message is the reason sent back with the 400."""


class Unknown(LookupError):
    """The request names a page, account or brand nobody set up here: 404, and the reason is only logged."""


@dataclass(frozen=True)
class Event:
    """One thing to store: the provider's id for it (the idempotency key) and its raw bytes."""

    external_id: str
    raw: bytes
    meta: dict = field(default_factory=dict)
    brand_id: int | None = None
    # A provider pushing several channels through one door (X: public posts and direct messages) names each.
    channel: str = ""


class Webhook:
    """What a channel implements. `key` is the optional last path part (hooks/<channel>/<key>/), e.g. a brand."""

    def handshake(self, request: HttpRequest, key: str) -> HttpResponse | None:
        """Answer a GET subscription check (Meta's hub.challenge); None = GET is not allowed."""
        return None

    def known(self, request: HttpRequest, key: str) -> bool:
        """False when `key` names nobody (a phone line's unknown token): 401, before the signature is checked."""
        return True

    def verify(self, request: HttpRequest, key: str) -> bool:
        """True when the request carries a valid signature; use the constant-time helpers below."""
        raise NotImplementedError

    def events(self, request: HttpRequest, key: str) -> list[Event]:
        """The events in the body (none for a status ping); raise Malformed for a body that cannot be read."""
        raise NotImplementedError

    def answer(self, request: HttpRequest, key: str, accepted: list[Accepted]) -> HttpResponse:
        """The response once every event is stored (a synchronous channel has processed them by now)."""
        return HttpResponse("ok", content_type="text/plain")


def door(channel: str):  # noqa: ANN201 - a Django view
    @csrf_exempt  # providers cannot send a CSRF token; the signature is the proof of origin
    def view(request: HttpRequest, key: str = "") -> HttpResponse:
        return receive(channel, request, key)

    view.__name__ = f"{channel}_webhook"
    return view


def receive(channel: str, request: HttpRequest, key: str = "") -> HttpResponse:
    hook: Webhook = registry._load(registry.spec(channel).webhook)()
    try:
        return _receive(hook, channel, request, key)
    except Unknown as exc:
        log.warning("%s webhook from %s: %s, refused", channel, request.META.get("REMOTE_ADDR", ""), exc)
        return _plain(404, "not found")


def _receive(hook: Webhook, channel: str, request: HttpRequest, key: str) -> HttpResponse:
    if request.method == "GET":
        return hook.handshake(request, key) or HttpResponseNotAllowed(["POST"])
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    peer = request.META.get("REMOTE_ADDR", "")
    try:
        request.body  # noqa: B018 - read once here: over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before any check
    except RequestDataTooBig:
        log.warning("%s webhook from %s: body over the limit", channel, peer)
        return _plain(413, "too large")
    if not hook.known(request, key):
        log.warning("%s webhook from %s: unknown key, refused", channel, peer)
        return _plain(401, "unknown key")
    try:
        valid = hook.verify(request, key)
    except Exception:  # noqa: BLE001 - a header the check cannot read is a failed check, not an error
        log.warning("%s webhook from %s: signature check failed", channel, peer, exc_info=True)
        valid = False
    if not valid:
        log.warning("%s webhook from %s: bad signature, refused", channel, peer)
        return _plain(403, "bad signature")
    try:
        events = hook.events(request, key)
    except Malformed as exc:
        log.info("%s webhook from %s: malformed: %s", channel, peer, exc)
        return _plain(400, f"malformed: {exc}")
    except Unknown:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the parser tripped on, the body is at fault
        log.warning("%s webhook from %s: unreadable body", channel, peer, exc_info=True)
        return _plain(400, f"malformed: {type(exc).__name__}")
    try:
        accepted = store(channel, events)
    except ValueError as exc:  # an event without the provider's id
        log.info("%s webhook from %s: %s", channel, peer, exc)
        return _plain(400, f"malformed: {exc}")
    except DatabaseError:
        log.exception("%s webhook from %s: could not store, answering 503", channel, peer)
        return _plain(503, "try again")
    return hook.answer(request, key, accepted)


def store(channel: str, events: list[Event]) -> list[Accepted]:
    """Store events once each on (channel, external id); committed when this returns."""
    if any(not e.external_id for e in events):
        raise ValueError("an event without the provider's id")
    if len(events) == 1:
        e = events[0]
        return [accept(e.channel or channel, e.external_id, e.raw, e.meta, brand_id=e.brand_id)]
    accepted = accept_many([(e.channel or channel, e.external_id, e.raw, e.meta, e.brand_id) for e in events])
    if registry.spec(channel).synchronous and not settings.INTAKE_EAGER:
        process_now([a.inbound_id for a in accepted])  # repeats included: the provider waits for every answer
    return accepted


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain")


# Signature helpers: every comparison constant-time, so a forger learns nothing from how long a refusal takes.


def digest(secret: str | bytes, message: bytes, algorithm: str = "sha256", encoding: str = "hex") -> str:
    """HMAC of `message` as the providers send it: hex (Meta, X's CRC is base64) or base64 (Twilio)."""
    key = secret.encode() if isinstance(secret, str) else secret
    mac = hmac.new(key, message, getattr(hashlib, algorithm))
    return mac.hexdigest() if encoding == "hex" else base64.b64encode(mac.digest()).decode()


def same(expected: str | bytes, given: str | bytes | None) -> bool:
    """Constant-time equality of two secrets or signatures; a missing one is never equal."""
    if not expected or not given:
        return False
    a = expected.encode() if isinstance(expected, str) else expected
    b = given.encode() if isinstance(given, str) else given
    return hmac.compare_digest(a, b)


def twilio_signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    """X-Twilio-Signature: HMAC-SHA1 over the full URL followed by each POST field's name and value, sorted."""
    data = url + "".join(f"{name}{value}" for name in sorted(params) for value in params[name])
    return digest(auth_token, data.encode(), "sha1", "base64")


def twilio_valid(auth_token: str, url: str, params: dict[str, list[str]], signature: str | None) -> bool:
    """Twilio signed this request (SMS, calls): the URL it called and every form field, under the auth token."""
    return bool(auth_token) and same(twilio_signature(auth_token, url, params), signature)


def check_hmac(
    secret: str | bytes,
    message: bytes,
    given: str | None,
    *,
    algorithm: str = "sha256",
    encoding: str = "hex",
    prefix: str = "",
) -> bool:
    """`given` (e.g. X-Hub-Signature-256: "sha256=<hex>") is the HMAC of `message` under `secret`."""
    if not secret or not given or not given.startswith(prefix):
        return False
    return same(digest(secret, message, algorithm, encoding), given[len(prefix) :])
