"""The report endpoint: key check, validation, stored as an Inbound, processed now; the JSON is the confirmation."""

from __future__ import annotations

import base64
import binascii
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from anliegen.base import ratelimit
from anliegen.core.models import Brand, Case
from anliegen.intake.accept import accept
from anliegen.intake.models import Inbound

from . import keys, links
from .models import Report, ReportGroup
from .parse import AppReportIn, fingerprint, screenshot_type, signature_of

log = logging.getLogger(__name__)
MAX_BODY = 6 * 1024 * 1024


def problem(status: int, code: str, detail: str, **extra: object) -> JsonResponse:
    """The one error body of the app endpoints: a stable code for programs, a sentence for people."""
    return JsonResponse({"code": code, "detail": detail, **extra}, status=status)


@csrf_exempt  # an app has no session or CSRF cookie; the API key is the credential
@require_POST
def report(request: HttpRequest, brand_slug: str) -> JsonResponse:
    brand = Brand.objects.filter(slug=brand_slug).first()
    if brand is None:
        return problem(404, "not_found", "no such brand")
    try:
        key = keys.check(brand.pk, request.headers.get("Authorization", ""))
    except keys.KeyRefused as exc:
        return problem(401, "unauthorized", str(exc))
    if len(request.body) > MAX_BODY:
        return problem(413, "too_large", f"a report is at most {MAX_BODY // (1024 * 1024)} MB")
    try:
        data = AppReportIn.model_validate_json(request.body)
    except ValidationError as exc:
        errors = [{"field": ".".join(map(str, e["loc"])), "detail": e["msg"]} for e in exc.errors()]
        return problem(400, "invalid", "the report does not have the documented shape", errors=errors)
    if data.screenshot:
        try:
            image = base64.b64decode(data.screenshot, validate=True)
        except (binascii.Error, ValueError):
            image = b""
        if screenshot_type(image) is None:
            return problem(400, "invalid", "the screenshot must be a base64 PNG or JPEG")
    rate = ratelimit.parse_rate(settings.APP_REPORT_RATE)
    if not ratelimit.consume("app-report", [f"key:{key.pk}", f"user:{brand.pk}:{data.user_id}"], rate):
        return ratelimit.too_many(problem(429, "rate_limited", "too many reports; try again later"), rate)
    submission = f"app:{key.pk}:{data.report_id}"
    accepted = accept(
        "app",
        submission,
        data.model_dump_json().encode(),
        {"submission": submission, "key": key.prefix, "ip": ratelimit.client_ip(request)},
        brand_id=brand.pk,
    )
    if not accepted.duplicate:
        _group(brand, data, accepted.inbound_id)
    return confirmation(brand, data, accepted.inbound_id, status=200 if accepted.duplicate else 201)


@transaction.atomic
def _group(brand: Brand, data: AppReportIn, inbound_id: int) -> None:
    group, _ = ReportGroup.objects.get_or_create(
        brand=brand,
        fingerprint=fingerprint(data),
        defaults={"app_version": data.app_version, "signature": signature_of(data)},
    )
    ReportGroup.objects.filter(pk=group.pk).update(count=F("count") + 1, last_seen_at=timezone.now())
    Report.objects.create(group=group, inbound_id=inbound_id, answer_via=data.answer_via)


def confirmation(brand: Brand, data: AppReportIn, inbound_id: int, status: int) -> JsonResponse:
    inbound = Inbound.objects.filter(pk=inbound_id).values("state", "case_id").get()
    group = Report.objects.select_related("group").filter(inbound_id=inbound_id).first()
    body: dict = {
        "report_id": data.report_id,
        "state": "processed" if inbound["state"] == "done" else inbound["state"],
        "group": {"fingerprint": group.group.fingerprint, "reports": group.group.count} if group else None,
    }
    case = Case.objects.select_related("owner").filter(pk=inbound["case_id"]).first() if inbound["case_id"] else None
    if case is None:
        # Stored and queued: the worker finishes it; the app can poll once it knows the case.
        return JsonResponse(body | {"owner": None, "detail": "received; the confirmation follows"}, status=202)
    if group is not None and group.case_id != case.pk:
        Report.objects.filter(pk=group.pk).update(case=case)
    token = links.poll_token(case)
    body |= {
        "owner": {"name": case.owner.name},
        "reply_by": case.answer_due_at.isoformat() if case.answer_due_at else None,
        "answer_via": data.answer_via if data.answer_via == "poll" or data.email else "poll",
        "poll_url": settings.BASE_URL + reverse("app:poll", args=[brand.slug, token]),
    }
    return JsonResponse(body, status=status)
