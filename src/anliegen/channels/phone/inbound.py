"""Receive call events from a brand's PBX: check who sends, read the event, store it once, process it now.

URL: /phone/<brand>/<format>/<token>/ with format zammad, twilio or json. Unknown brand or token: 401;
a Twilio request with a bad signature: 403 (logged); an unreadable event: 400 naming the field. The raw body
is stored before anything else happens (intake.accept), idempotent per call id and event.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from anliegen.intake.accept import accept
from anliegen.intake.pipeline import process_ids

from . import answers, events, routing, signatures
from .models import PhoneLine

log = logging.getLogger(__name__)


def line_for(slug: str, token: str) -> PhoneLine | None:
    line = PhoneLine.objects.select_related("brand").filter(brand__slug=slug).first()
    if line is None or not signatures.token_matches(token, line.token):
        return None
    return line


def refuse(status: int, error: str, **extra: str) -> JsonResponse:
    return JsonResponse({"error": error, **extra}, status=status)


@csrf_exempt
@require_POST
def receive(request: HttpRequest, slug: str, fmt: str, token: str) -> JsonResponse:
    line = line_for(slug, token)
    if line is None:
        return refuse(401, "unknown line or token")
    raw = request.body
    if fmt == "twilio" and not signatures.twilio_valid(
        line.twilio_auth_token,
        request.build_absolute_uri(),
        {k: request.POST.getlist(k) for k in request.POST},
        request.headers.get("X-Twilio-Signature", ""),
    ):
        log.warning("phone: bad Twilio signature for brand %s from %s", slug, request.META.get("REMOTE_ADDR"))
        return refuse(403, "bad signature")
    try:
        event = events.read(fmt, raw, request.content_type or "")
    except events.EventError as exc:
        return refuse(400, str(exc), field=exc.field)
    meta = {
        "format": fmt,
        "content_type": request.content_type or "",
        "region": line.region,
        "language": line.brand.default_language,
        "brand": line.brand_id,
        "received_at": timezone.now().isoformat(),
    }
    # Zammad's events carry no time: their arrival (received_at) stands in for it when they are processed.
    accepted = accept("phone", f"{line.brand_id}:{event.key}", raw, meta, brand_id=line.brand_id)
    if not accepted.duplicate:
        _process_now(accepted.inbound_id)
    return JsonResponse({"accepted": True, "duplicate": accepted.duplicate, "event": event.key})


def _process_now(inbound_id: int) -> None:
    # Ringing must reach the desk within a second; a failure leaves the event stored for the worker.
    try:
        process_ids([inbound_id])
    except Exception:  # noqa: BLE001 - stored; the worker retries it
        log.exception("phone inbound %s could not be processed at once", inbound_id)


@csrf_exempt
def route_call(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """While the phone rings: who should take it. GET or POST with from (or Twilio's From); format json|twiml|lines."""
    if request.method not in ("GET", "POST"):
        return refuse(405, "GET or POST")
    line = line_for(slug, token)
    if line is None:
        return refuse(401, "unknown line or token")
    params = request.POST if request.method == "POST" else request.GET
    fmt = request.GET.get("format") or params.get("format") or "json"
    if (
        fmt == "twiml"
        and line.twilio_auth_token
        and not signatures.twilio_valid(
            line.twilio_auth_token,
            request.build_absolute_uri(),
            {k: request.POST.getlist(k) for k in request.POST},
            request.headers.get("X-Twilio-Signature", ""),
        )
    ):
        log.warning("phone: bad Twilio signature on the routing query of %s", slug)
        return refuse(403, "bad signature")
    caller = params.get("from") or params.get("From") or ""
    if not caller:
        return refuse(400, "from: missing", field="from")
    if fmt not in ("json", "twiml", "lines"):
        return refuse(400, f"format: unknown {fmt!r} (json, twiml, lines)", field="format")
    route = routing.route(line.brand, caller[:64], line.region)
    if fmt == "twiml":
        return HttpResponse(answers.as_twiml(route, line.sip_domain), content_type="text/xml; charset=utf-8")
    if fmt == "lines":
        text = answers.as_lines(route, amp=request.GET.get("sep") == "amp")
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return JsonResponse(answers.as_json(route))
