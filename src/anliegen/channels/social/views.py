"""The page a public reply's link opens: prove an address by a one-time code, pick the private channel.

Anyone can open a public link, so the page shows nothing private: the owner's name, the post as it is public
(personal data masked). The steps are kept in the session, per case.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from anliegen.base import ratelimit
from anliegen.core.case_links import case_url
from anliegen.core.models import Direction, Identity, IdentityKind
from anliegen.core.services import personal_data

from . import continuation


class AddressForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Prove it with"),
        choices=[(IdentityKind.EMAIL, _("my e-mail address")), (IdentityKind.PHONE, _("my mobile number"))],
        widget=forms.RadioSelect,
        initial=IdentityKind.EMAIL,
    )
    value = forms.CharField(label=_("E-mail address or mobile number"), max_length=254)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("The code we sent you"), max_length=12)


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("How should we continue?"), widget=forms.RadioSelect)


@require_http_methods(["GET", "POST"])
def continue_privately(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case, social = continuation.read(token)
    except continuation.LinkError as exc:
        page = "portal/link_expired.html" if str(exc) == "expired" else "portal/link_invalid.html"
        return render(request, page, {}, status=410 if str(exc) == "expired" else 404)
    translation.activate(case.language or case.brand.default_language)
    key = f"continue.{case.pk}.{social.pk}"
    state = request.session.get(key) or {}
    step = request.POST.get("step", "")
    context = {"case": case, "owner": case.owner, "brand": case.brand, "post": _post(case, social)}
    try:
        if step == "address":
            form = AddressForm(request.POST)
            if form.is_valid() and not _may_ask(request, case, form.cleaned_data["value"]):
                # A public link is anyone's: it must not become a way to send codes to strangers in bulk.
                context["error"] = _("Too many codes asked for; please try again later.")
                return ratelimit.too_many(_render(request, context, address_form=form, status=429), _rate())
            if form.is_valid():
                target = continuation.request_code(case, social, form.cleaned_data["kind"], form.cleaned_data["value"])
                request.session[key] = {"target": target.pk}
                return _code_step(request, context, target)
            return _render(request, context, address_form=form, status=400)
        if step == "code" and state.get("target"):
            target = Identity.objects.get(pk=state["target"])
            form = CodeForm(request.POST)
            if form.is_valid():
                linked = continuation.confirm(case, social, target, form.cleaned_data["code"])
                request.session[key] = {"target": target.pk, "verified": True, "joined": linked.joined}
                case.refresh_from_db()
                return _channel_step(request, context, case, social, linked.joined)
            return _code_step(request, context, target, form, status=400)
        if step == "channel" and state.get("verified") and state.get("joined"):
            case.refresh_from_db()
            form = ChannelForm(request.POST)
            form.fields["channel"].choices = continuation.choices(case, social)
            if form.is_valid():
                continuation.choose(case, social, form.cleaned_data["channel"])
                request.session.pop(key, None)
                return redirect(case_url(case) + "?continued=1")
            return _channel_step(request, context, case, social, True, form, status=400)
    except continuation.ContinuationError as exc:
        context["error"] = str(exc)
        if state.get("target") and step == "code":
            return _code_step(request, context, Identity.objects.get(pk=state["target"]), status=400)
        return _render(request, context, address_form=AddressForm(request.POST or None), status=400)
    return _render(request, context, address_form=AddressForm())


def _rate() -> ratelimit.Rate:
    return ratelimit.parse_rate(settings.CONTINUATION_CODE_RATE)


def _may_ask(request: HttpRequest, case, value: str) -> bool:  # noqa: ANN001
    return ratelimit.consume("continue-code", [ratelimit.client_ip(request), f"case:{case.pk}", value], _rate())


def _post(case, social) -> str:  # noqa: ANN001
    first = case.messages.filter(direction=Direction.IN, address=social.value).order_by("id").first()
    return personal_data.mask(first.body_text, case.brand.default_region)[0] if first else ""


def _code_step(request, context, target, form=None, status=200) -> HttpResponse:  # noqa: ANN001
    return _render(request, context, code_form=form or CodeForm(), sent_to=target.value, status=status)


def _channel_step(request, context, case, social, joined, form=None, status=200) -> HttpResponse:  # noqa: ANN001
    if not joined:
        return _render(request, context, proposed=True)
    if form is None:
        form = ChannelForm()
        form.fields["channel"].choices = continuation.choices(case, social)
    return _render(request, context, channel_form=form, status=status)


def _render(request: HttpRequest, context: dict, status: int = 200, **extra: object) -> HttpResponse:
    response = render(request, "social/continue.html", context | extra, status=status)
    response["Referrer-Policy"] = "same-origin"  # the signed link never leaves in a Referer
    return response
