"""Customer pages without login: the list of brands, a brand's contact form and its confirmation page."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anliegen.base import ratelimit
from anliegen.channels import registry
from anliegen.channels.phone import offers
from anliegen.channels.webform import inbound as webform
from anliegen.channels.webform.parse import FormSubmission
from anliegen.core import case_links as links
from anliegen.core.case_links import case_token
from anliegen.core.models import Brand, Case, Direction, Incident, Message, MessageKind
from anliegen.intake.accept import process_now
from anliegen.intake.models import Inbound, InboundState
from anliegen.selfservice.services import deflection

from .callback import callback_context
from .forms import ContactForm, max_attachment_bytes, nonce

THANKS_SALT = "anliegen.portal.form-thanks"
# The confirmation page is for the moment after sending; the lasting link is the case page in the mail.
THANKS_MAX_AGE = 2 * 3600
# The worker takes a submission within a second; only one still waiting after this is processed in the request
# (the worker is down or far behind). Before, the page says it arrived and looks again every second.
WORKER_GRACE = timedelta(seconds=5)
ADDRESS_QUIET = "the address is past the form's per-address limit"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"brands": Brand.objects.order_by("name")})


def render_form(
    request: HttpRequest, brand: Brand, form: ContactForm, status: int = 200, **extra: object
) -> HttpResponse:
    context = {"brand": brand, "form": form, "max_attachment": max_attachment_bytes(), **extra}
    context["hotline_wait"] = offers.wait_sentence(brand, translation.get_language() or "")
    return render(request, "portal/form.html", context, status=status)


def brand_missing(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/brand_missing.html", {"brands": Brand.objects.order_by("name")}, status=404)


@require_http_methods(["GET", "POST"])
@never_cache
def contact_form(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = Brand.objects.filter(slug=brand_slug).first()
    if brand is None:
        return brand_missing(request)
    if request.method == "POST":
        return _submit(request, brand)
    link = request.GET.get("case", "")
    initial = {"submission": nonce(), "case": link if linked_case(brand, link) else ""}
    return render_form(request, brand, ContactForm(initial=initial), linked=linked_case(brand, link))


def linked_case(brand: Brand, link: str) -> Case | None:
    """The case of a valid, unexpired signed link of this brand; None for anything else."""
    if not link:
        return None
    try:
        case = links.case_from_token(link)
    except links.LinkError:
        return None
    return case if case.brand_id == brand.pk else None


def _submit(request: HttpRequest, brand: Brand) -> HttpResponse:
    submission_id = nonce(request.POST.get("submission"))
    earlier = Inbound.objects.filter(channel=webform.CHANNEL, external_id=submission_id, brand=brand).first()
    if earlier is not None:
        # A double click or a reload of the POST: the first one counts, the customer sees its confirmation.
        return redirect(thanks_url(brand, earlier.pk))
    data = request.POST.copy()
    data["submission"] = submission_id
    form = ContactForm(data, request.FILES, region=brand.default_region)
    if not form.is_valid():
        return render_form(request, brand, form, status=400)
    cleaned = form.cleaned_data
    ip = ratelimit.client_ip(request)
    if not ratelimit.consume("form-ip", [ip]):
        return ratelimit.too_many(render_form(request, brand, form, status=429, rate_limited=True))
    # Per address never a refusal: anyone can type a customer's address, and ten posts would lock her out of
    # the form. Past the limit the message is still taken; only no more confirmations go to that address.
    quiet = "" if ratelimit.consume("form-address", [cleaned["email"], cleaned["phone"]]) else ADDRESS_QUIET
    upload = cleaned.get("attachment")
    files = []
    if upload:
        files.append(
            webform.UploadedFile(upload.name, upload.content_type or "application/octet-stream", upload.read())
        )
    raw = webform.payload(
        name=cleaned["name"],
        email=cleaned["email"],
        phone=cleaned["phone"],
        subject=cleaned["subject"],
        text=cleaned["text"],
        language=translation.get_language() or "",
        files=files,
        # A stale or foreign link is dropped, not refused: the message then opens a case of its own.
        case_link=cleaned["case"] if linked_case(brand, cleaned["case"]) else "",
    )
    accepted = webform.submit(brand, submission_id, raw, ip, quiet=quiet)
    deflection.do_sent(brand, submission_id)  # suggestions did not solve it: counted honestly
    return redirect(thanks_url(brand, accepted.inbound_id))


def thanks_url(brand: Brand, inbound_id: int) -> str:
    ref = signing.dumps({"i": inbound_id, "b": brand.pk}, salt=THANKS_SALT)
    return reverse("portal:thanks", args=[brand.slug, ref])


@require_GET
@never_cache
def thanks(request: HttpRequest, brand_slug: str, ref: str) -> HttpResponse:
    brand = Brand.objects.filter(slug=brand_slug).first()
    if brand is None:
        return brand_missing(request)
    try:
        data = signing.loads(ref, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.SignatureExpired:
        return render(request, "portal/thanks_expired.html", {"brand": brand}, status=410)
    except signing.BadSignature:
        return render(request, "portal/link_invalid.html", {"brand": brand}, status=404)
    item = Inbound.objects.filter(pk=data.get("i"), brand=brand, channel=webform.CHANNEL).first()
    if item is None or data.get("b") != brand.pk:
        return render(request, "portal/link_invalid.html", {"brand": brand}, status=404)
    if item.state == InboundState.RECEIVED and timezone.now() - item.received_at > WORKER_GRACE:
        process_now([item.pk])  # the worker is busy or away; do it now (a no-op if it got there first)
        item.refresh_from_db()
    case = Case.objects.select_related("owner", "contact", "incident").filter(pk=item.case_id).first()
    if item.state != InboundState.DONE or case is None:
        return _received(request, brand, item)
    context = confirmation(brand, case, item) | callback_context(case, case_token(case), back=request.path)
    response = render(request, "portal/thanks.html", context)
    response["Referrer-Policy"] = "same-origin"
    return response


def confirmation(brand: Brand, case: Case, item: Inbound) -> dict:
    stored = Message.objects.filter(inbound=item, direction=Direction.IN).order_by("pk").first()
    confirmed, confirmed_on = None, registry.spec(webform.CHANNEL).confirm
    if stored is not None:
        confirmed = (
            Message.objects.filter(case=case, kind=MessageKind.CONFIRMATION, channel=confirmed_on, pk__gt=stored.pk)
            .order_by("pk")
            .first()
        )
    first = Message.objects.filter(case=case, direction=Direction.IN).order_by("pk").values_list("pk", flat=True)[:1]
    owner = case.owner
    return {
        "brand": brand,
        "case": case,
        "owner": owner,
        "reply_address": owner.reply_address(brand, case.reply_token),
        "due": case.answer_due_at,
        "case_link": reverse("portal:case", args=[case_token(case)]),
        "confirmation": confirmed,
        "new_case": stored is not None and list(first) == [stored.pk],
        "email": FormSubmission.model_validate_json(bytes(item.raw)).email,
        # The known problem, named here as in the confirmation mail (only while public and active).
        "incident": _public_incident(case),
        "quiet": bool(item.meta.get("quiet")),
    }


def _public_incident(case: Case) -> Incident | None:
    incident = case.incident if case.incident_id else None
    if incident is None or not incident.public or incident.state != Incident.State.ACTIVE:
        return None
    return incident


def _received(request: HttpRequest, brand: Brand, item: Inbound) -> HttpResponse:
    """Stored but not (yet) on a case: say so honestly and when a person will answer."""
    from anliegen.core.services import answer_time

    context = {
        "brand": brand,
        "due": answer_time.due(brand, item.received_at),
        "pending": item.state == InboundState.RECEIVED,
    }
    return render(request, "portal/received.html", context)
