"""The routing query the PBX asks while the phone rings: /channels/phone/route/<brand slug>.<line token>/.

GET or POST with `from` (Twilio's `From`) and `format` json, twiml or lines. Unknown brand or token: 401;
a Twilio request with a bad signature: 403 (logged); no caller number or an unknown format: 400 naming it.
`answer()` is the whole query; the web server's fast path (fastpath.py) calls it without Django's request
machinery, and the Django view below serves what the fast path leaves (TwiML, whose signature needs the URL
as Django sees it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from anliegen.channels.webhooks import twilio_valid

from . import answers, booking, lookup, routing

log = logging.getLogger(__name__)
FORMATS = ("json", "twiml", "lines")
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
XML = "text/xml; charset=utf-8"


def refuse(status: int, error: str, **extra: str) -> tuple[int, str, bytes]:
    return status, JSON, json.dumps({"error": error, **extra}).encode()


def answer(
    key: str, query: Mapping, params: Mapping, signed: Callable[[str], bool] | None = None
) -> tuple[int, str, bytes]:
    """(status, content type, body) of the routing query; `signed(auth_token)` checks Twilio's signature."""
    line = lookup.line(key)
    if line is None:
        return refuse(401, "unknown line or token")
    fmt = query.get("format") or params.get("format") or "json"
    if fmt == "twiml" and line.twilio_auth_token and (signed is None or not signed(line.twilio_auth_token)):
        log.warning("phone: bad Twilio signature on the routing query of %s", line.brand.slug)
        return refuse(403, "bad signature")
    caller = params.get("from") or params.get("From") or ""
    if not caller:
        return refuse(400, "from: missing", field="from")
    if fmt not in FORMATS:
        return refuse(400, f"format: unknown {fmt!r} (json, twiml, lines)", field="format")
    route = routing.route(line.brand, caller[:64], line.brand.default_region)
    call_id = params.get("call_id") or params.get("CallSid") or params.get("callId") or ""
    route.callback = booking.offer(route, str(call_id)[:250])
    if fmt == "twiml":
        return 200, XML, answers.as_twiml(route, line.sip_domain).encode()
    if fmt == "lines":
        return 200, TEXT, answers.as_lines(route, amp=query.get("sep") == "amp").encode()
    return 200, JSON, json.dumps(answers.as_json(route), ensure_ascii=False).encode()


@csrf_exempt
def route_call(request: HttpRequest, key: str) -> HttpResponse:
    """While the phone rings: who should take it. GET or POST with from (or Twilio's From); format json|twiml|lines."""
    if request.method not in ("GET", "POST"):
        status, content_type, body = refuse(405, "GET or POST")
    else:

        def signed(auth_token: str) -> bool:
            fields = {k: request.POST.getlist(k) for k in request.POST}
            given = request.headers.get("X-Twilio-Signature", "")
            return twilio_valid(auth_token, request.build_absolute_uri(), fields, given)

        params = request.POST if request.method == "POST" else request.GET
        status, content_type, body = answer(key, request.GET, params, signed)
    return HttpResponse(body, status=status, content_type=content_type)
