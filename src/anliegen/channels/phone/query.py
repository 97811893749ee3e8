"""The routing query the PBX asks while the phone rings: /channels/phone/route/<brand slug>.<line token>/.

GET or POST with `from` (Twilio's `From`) and `format` json, twiml or lines. Unknown brand or token: 401;
a Twilio request with a bad signature: 403 (logged); no caller number or an unknown format: 400 naming it.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from anliegen.channels.webhooks import twilio_valid

from . import answers, routing
from .webhook import line_for

log = logging.getLogger(__name__)


def refuse(status: int, error: str, **extra: str) -> JsonResponse:
    return JsonResponse({"error": error, **extra}, status=status)


@csrf_exempt
def route_call(request: HttpRequest, key: str) -> HttpResponse:
    """While the phone rings: who should take it. GET or POST with from (or Twilio's From); format json|twiml|lines."""
    if request.method not in ("GET", "POST"):
        return refuse(405, "GET or POST")
    line = line_for(key)
    if line is None:
        return refuse(401, "unknown line or token")
    params = request.POST if request.method == "POST" else request.GET
    fmt = request.GET.get("format") or params.get("format") or "json"
    if (
        fmt == "twiml"
        and line.twilio_auth_token
        and not twilio_valid(
            line.twilio_auth_token,
            request.build_absolute_uri(),
            {k: request.POST.getlist(k) for k in request.POST},
            request.headers.get("X-Twilio-Signature", ""),
        )
    ):
        log.warning("phone: bad Twilio signature on the routing query of %s", line.brand.slug)
        return refuse(403, "bad signature")
    caller = params.get("from") or params.get("From") or ""
    if not caller:
        return refuse(400, "from: missing", field="from")
    if fmt not in ("json", "twiml", "lines"):
        return refuse(400, f"format: unknown {fmt!r} (json, twiml, lines)", field="format")
    route = routing.route(line.brand, caller[:64], line.brand.default_region)
    if fmt == "twiml":
        return HttpResponse(answers.as_twiml(route, line.sip_domain), content_type="text/xml; charset=utf-8")
    if fmt == "lines":
        text = answers.as_lines(route, amp=request.GET.get("sep") == "amp")
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return JsonResponse(answers.as_json(route))
