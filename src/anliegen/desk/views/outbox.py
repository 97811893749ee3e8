"""The kept outgoing mail of an installation without SMTP relay, for supervisors: what did the customer get?"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .. import scope
from ..pages import keyset, render_page

SHOWN_HEADERS = (
    "From",
    "Reply-To",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Auto-Submitted",
)


@require_GET
@scope.outbox_required
def outbox(request: HttpRequest) -> HttpResponse:
    mails = scope.visible_mail(request.agent).defer("raw")
    page = keyset(mails, request.GET.get("after"), field="created_at")
    for mail in page.items:
        # The capture keeps headers as sent (RFC 2047 encoded words); people read them decoded.
        mail.shown_subject, mail.shown_sender = _decoded(mail.subject), _decoded(mail.sender)
    brands = scope.outbox_brands(request.agent)
    return render_page(request, "desk/outbox.html", {"page": page, "brands": brands})


@require_GET
@scope.outbox_required
def outbox_mail(request: HttpRequest, mail_id: int) -> HttpResponse:
    mail = scope.get_mail_or_404(request.agent, mail_id)
    parsed = message_from_bytes(bytes(mail.raw), policy=policy.default)
    headers = [(name, str(parsed[name])) for name in SHOWN_HEADERS if parsed[name] is not None]
    context = {
        "mail": mail,
        "subject": str(parsed["Subject"] or ""),
        "headers": headers,
        "text": _text_part(parsed),
        "attachments": [part.get_filename() or "" for part in parsed.iter_attachments()]
        if parsed.is_multipart()
        else [],
    }
    return render_page(request, "desk/outbox_mail.html", context)


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, ValueError, UnicodeDecodeError):
        return value


def _text_part(parsed: EmailMessage) -> str:
    body = parsed.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    try:
        return body.get_content()
    except (LookupError, ValueError):
        # An unknown charset: show what can be read rather than nothing.
        return body.get_payload(decode=True).decode("utf-8", "replace")
