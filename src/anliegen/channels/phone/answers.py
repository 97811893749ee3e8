"""The routing answer in the caller's language, as JSON, Twilio TwiML and key=value lines for Asterisk."""

from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _

from .routing import Route

TWILIO_VOICES = {"de": "de-DE", "en": "en-GB"}


def announcement(route: Route) -> str:
    """What the caller hears first: who they reach and why, a known outage, or the honest wait."""
    with translation.override(route.language):
        parts = []
        if route.incident is not None:
            parts.append(_("A known fault: %(title)s.") % {"title": route.incident_title})
        if route.reason == "owner":
            parts.append(
                _("You are being connected to %(name)s, who is handling your concern.") % {"name": route.agent}
            )
        elif route.reason == "deputy":
            parts.append(
                _("%(owner)s is not free right now. You are being connected to %(name)s, who stands in.")
                % {"owner": route.owner, "name": route.agent}
            )
        elif route.reason == "best":
            parts.append(_("You are being connected to %(name)s.") % {"name": route.agent})
        elif route.reason == "nobody_free":
            wait = route.wait
            if wait is None or wait.minutes is None:
                parts.append(_("Nobody can take your call right now."))
            else:
                parts.append(
                    _("Everyone is on a call: the wait is about %(minutes)d minutes.") % {"minutes": wait.minutes}
                )
            parts.append(_("If you hang up, we call you back free of charge."))
        else:
            parts.append(_("We are not available at the moment. Please call again during our service hours."))
        return " ".join(parts)


def as_json(route: Route) -> dict:
    return {
        "action": route.action,
        "reason": route.reason,
        "extension": route.extension,
        "agent": {"id": route.agent.pk, "name": route.agent.name} if route.agent else None,
        "case": route.case_id,
        "contact": route.contact_id,
        "number": route.number,
        "language": route.language,
        "announcement": announcement(route),
        "incident": {"id": route.incident.pk, "title": route.incident_title} if route.incident else None,
        "wait": route.wait.as_json() if route.wait else None,
        "callback": _offer_json(route.callback),
    }


def _offer_json(offer: dict | None) -> dict | None:
    if offer is None:
        return None
    return {
        k: offer[k].isoformat() if k.startswith("window") else offer[k] for k in ("url", "window_start", "window_end")
    }


def gather_sentence(route: Route) -> str:
    with translation.override(route.language):
        return _("Press 1 for a free callback at this number.")


def as_twiml(route: Route, sip_domain: str = "", queue: str = "") -> str:
    voice = TWILIO_VOICES.get(route.language, "de-DE")
    say = f'<Say language="{voice}">{escape(announcement(route))}</Say>'
    if route.action == "connect":
        target = escape(route.extension)
        dial = f"<Sip>sip:{target}@{escape(sip_domain)}</Sip>" if sip_domain else target
        body = f"{say}<Dial>{dial}</Dial>"
    elif route.action == "queue":
        if route.callback is not None:  # Twilio goes on to <Enqueue> when no key is pressed
            action = escape(route.callback["path"] + "?format=twiml")
            gather = f'<Say language="{voice}">{escape(gather_sentence(route))}</Say>'
            say += f'<Gather numDigits="1" timeout="5" action="{action}" method="POST">{gather}</Gather>'
        body = f"{say}<Enqueue>{escape(queue or route.brand.slug)}</Enqueue>"
    else:
        body = f"{say}<Hangup/>"
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


def as_lines(route: Route, amp: bool = False) -> str:
    """key=value lines; with `amp` one URL-encoded line joined by & (Asterisk's CURLOPT(hashcompat)=yes)."""
    wait = route.wait.seconds if route.wait and route.wait.seconds is not None else ""
    pairs = [
        ("action", route.action),
        ("reason", route.reason),
        ("extension", route.extension),
        ("agent", route.agent.name if route.agent else ""),
        ("case", route.case_id or ""),
        ("language", route.language),
        ("wait", wait),
        ("incident", route.incident_title),
        ("callback_url", route.callback["url"] if route.callback else ""),
        ("announcement", announcement(route)),
    ]
    if amp:
        return "&".join(f"{k}={quote(str(v), safe='')}" for k, v in pairs)
    return "".join(f"{k}={str(v).replace(chr(10), ' ')}\n" for k, v in pairs)
