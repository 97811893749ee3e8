"""The customer's case page behind a signed link: owner, conversation, promises, and a reply box."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages as flash
from django.core import signing
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anliegen.base import ratelimit
from anliegen.channels.portal import inbound as portal
from anliegen.core import case_links as links
from anliegen.core.models import Attachment, Case, CaseState, Direction, Message, MessageKind
from anliegen.intake.models import Inbound, InboundState
from anliegen.promises.models import Promise

from .callback import callback_context
from .forms import ReplyForm, nonce

# What the customer sees of a case: what they wrote and what was written to them, never notes or machine mail.
VISIBLE_DIRECTIONS = (Direction.IN, Direction.OUT)
VISIBLE_KINDS = (MessageKind.MESSAGE, MessageKind.CONFIRMATION)
VISIBLE_PROMISES = (Promise.State.OPEN, Promise.State.KEPT)


def conversation(case: Case) -> QuerySet[Message]:
    return (
        case.messages.filter(direction__in=VISIBLE_DIRECTIONS, kind__in=VISIBLE_KINDS)
        .select_related("author_agent", "on_behalf_of")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def promises(case: Case) -> list[Promise]:
    items = list(Promise.objects.filter(case=case, state__in=VISIBLE_PROMISES).order_by("state", "due_at"))
    for item in items:
        item.amount_display = number_format(Decimal(item.amount_cents) / 100, 2) if item.amount_cents else ""
    return items


def _private(response: HttpResponse) -> HttpResponse:
    # The token in the URL is the key to the case: never hand it to another site or a shared cache.
    # "same-origin", not "no-referrer": with no referrer at all browsers send "Origin: null" and CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def render_case(request: HttpRequest, case: Case, token: str, form: ReplyForm, status: int = 200, **extra: object):
    brand, owner = case.brand, case.owner
    context = {
        "case": case,
        "brand": brand,
        "owner": owner,
        "reply_address": owner.reply_address(brand, case.reply_token),
        "token": token,
        "conversation": conversation(case),
        "promises": promises(case),
        "can_reply": case.state != CaseState.CLOSED,
        "form": form,
        **callback_context(case, token),
        **extra,
    }
    return _private(render(request, "portal/case.html", context, status=status))


def link_error(request: HttpRequest, token: str, reason: str) -> HttpResponse:
    """A tampered link is simply not valid (404); an old one is explained, with a way to write again (410)."""
    if reason != "expired":
        return _private(render(request, "portal/link_invalid.html", {}, status=404))
    try:
        # The signature is genuine, only old: its content tells which brand's form to offer.
        data = signing.loads(token, salt=links.SALT)
    except signing.BadSignature:
        data = {}
    case = Case.objects.select_related("brand").filter(pk=data.get("c")).first()
    brand = case.brand if case is not None and case.reply_token == data.get("t") else None
    return _private(render(request, "portal/link_expired.html", {"brand": brand}, status=410))


def merged_target(case: Case, hops: int = 5) -> Case:
    """The case a merged case now lives on, following a short chain of merges (never a loop)."""
    seen = {case.pk}
    while case.merged_into_id and hops > 0:
        target = Case.objects.select_related("brand", "owner", "contact").filter(pk=case.merged_into_id).first()
        if target is None or target.pk in seen or target.brand_id != case.brand_id:
            break
        seen.add(target.pk)
        case, hops = target, hops - 1
    return case


@require_http_methods(["GET", "POST"])
@never_cache
def case_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case = links.case_from_token(token)
    except links.LinkError as exc:
        return link_error(request, token, str(exc))
    if case.merged_into_id and (target := merged_target(case)).pk != case.pk:
        # Old mails keep the old link; the conversation now lives on the case it was merged into.
        return redirect(reverse("portal:case", args=[links.case_token(target)]))
    if request.method == "POST":
        return _reply(request, case, token)
    return render_case(request, case, token, ReplyForm(initial={"submission": nonce()}))


def _reply(request: HttpRequest, case: Case, token: str) -> HttpResponse:
    here = reverse("portal:case", args=[token])
    submission_id = nonce(request.POST.get("submission"))
    if Inbound.objects.filter(channel=portal.CHANNEL, external_id=submission_id, brand=case.brand).exists():
        return redirect(here + "#latest")  # sent twice (double click, reload): the first one counts
    data = request.POST.copy()
    data["submission"] = submission_id
    form = ReplyForm(data)
    if case.state == CaseState.CLOSED:
        return render_case(request, case, token, form, status=400)
    if not form.is_valid():
        return render_case(request, case, token, form, status=400)
    if not ratelimit.consume("reply-ip", [ratelimit.client_ip(request)]):
        return ratelimit.too_many(render_case(request, case, token, form, status=429, rate_limited=True))
    try:
        accepted = portal.submit_reply(case, submission_id, form.cleaned_data["text"], ratelimit.client_ip(request))
    except portal.NoIdentity:
        return render_case(request, case, token, form, status=409, no_identity=True)
    state = Inbound.objects.filter(pk=accepted.inbound_id).values_list("state", flat=True).first()
    if state == InboundState.DONE:
        flash.success(request, _("Your message was added. %(owner)s will answer you.") % {"owner": case.owner.name})
    else:
        flash.info(request, _("Your message was received. A person will look at it and add it here."))
    return redirect(here + "#latest")


@require_GET
@never_cache
def attachment(request: HttpRequest, token: str, attachment_id: int) -> HttpResponse:
    try:
        case = links.case_from_token(token)
    except links.LinkError as exc:
        return link_error(request, token, str(exc))
    visible = conversation(case).values("pk")
    att = Attachment.objects.filter(pk=attachment_id, message__in=visible).first()
    if att is None:
        return _private(render(request, "portal/file_missing.html", {"case": case, "token": token}, status=404))
    # Always a download, never rendered in our origin: a customer's file may be HTML or SVG.
    response = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.filename)
    response["Content-Type"] = "application/octet-stream"
    return _private(response)
