"""The booking URL of a callback offered in the routing answer: /channels/phone/callback/<signed offer>/.

POST from the PBX (Twilio's <Gather> posts `Digits`; only "1" books). `format` json (default), lines or twiml.
A signature that does not match (or an offer older than two hours): 403, logged.
"""

from __future__ import annotations

import json
import logging
from xml.sax.saxutils import escape

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import booking
from .answers import TWILIO_VOICES
from .query import JSON, TEXT, XML, refuse


def booked_sentence(promise: object, language: str) -> str:
    with translation.override(language):
        start = formats.time_format(timezone.localtime(promise.due_at), "H:i")
        end = formats.time_format(timezone.localtime(promise.window_end), "H:i")
        return _("Thank you. %(name)s will call you back free of charge between %(start)s and %(end)s.") % {
            "name": promise.owner.name, "start": start, "end": end,
        }  # fmt: skip


@csrf_exempt
def book_call(request: HttpRequest, signed: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(*_plain(refuse(405, "POST")))
    try:
        offer = booking.read(signed)
    except signing.BadSignature:
        logging.getLogger(__name__).warning("phone: bad signature on a callback booking")
        return HttpResponse(*_plain(refuse(403, "bad signature")))
    fmt = request.GET.get("format", "json")
    language = offer.get("l") or "de"
    voice = TWILIO_VOICES.get(language, "de-DE")
    if fmt == "twiml" and request.POST.get("Digits", "") != "1":
        with translation.override(language):
            say = _("No callback was booked. Please hold the line.")
        return HttpResponse(
            _twiml(f'<Say language="{voice}">{escape(say)}</Say><Enqueue>phone</Enqueue>'), content_type=XML
        )
    promise, created = booking.check_book(offer)
    sentence = booked_sentence(promise, language)
    if fmt == "twiml":
        return HttpResponse(_twiml(f'<Say language="{voice}">{escape(sentence)}</Say><Hangup/>'), content_type=XML)
    facts = {
        "booked": True, "duplicate": not created, "promise": promise.pk, "case": promise.case_id,
        "owner": promise.owner.name, "window_start": promise.due_at.isoformat(),
        "window_end": promise.window_end.isoformat(), "announcement": sentence,
    }  # fmt: skip
    if fmt == "lines":
        text = "".join(f"{k}={int(v) if isinstance(v, bool) else v}\n" for k, v in facts.items())
        return HttpResponse(text, content_type=TEXT)
    return HttpResponse(json.dumps(facts, ensure_ascii=False), content_type=JSON)


def _plain(answer: tuple[int, str, bytes]) -> tuple:
    status, content_type, body = answer
    return body, content_type, status


def _twiml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'
