"""The public community of a brand: questions with their published answers, asking and answering."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from anliegen.base import ratelimit

from ..models import Answer, Thread
from ..models.community import Post
from ..services import community as service
from .public import brand_for, language, not_found


class AskForm(forms.Form):
    title = forms.CharField(label=_("Your question in one line"), max_length=200)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    name = forms.CharField(label=_("Name shown with your post"), max_length=80)
    email = forms.EmailField(label=_("E-mail address (never shown)"))
    website = forms.CharField(required=False)  # the honeypot, hidden from people


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    name = forms.CharField(label=_("Name shown with your post"), max_length=80)
    email = forms.EmailField(label=_("E-mail address (never shown)"))
    website = forms.CharField(required=False)


def _post(request: HttpRequest, form: forms.Form, make: object) -> tuple[object | None, int]:
    if not form.is_valid() or form.cleaned_data.get("website"):
        return None, 400
    try:
        return make(form.cleaned_data, ratelimit.client_ip(request)), 200  # type: ignore[operator]
    except service.CommunityError as exc:
        form.add_error(None, str(exc))
        return None, exc.status


def _answer(response: HttpResponse) -> HttpResponse:
    # Refused for posting too often: the page says so (the form's error), Retry-After says when again.
    return ratelimit.too_many(response, service.POST_RATE) if response.status_code == 429 else response


@require_http_methods(["GET", "POST"])
def community_home(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    lang = language(request)
    form, posted, status = AskForm(request.POST or None), None, 200
    if request.method == "POST":
        posted, status = _post(request, form, lambda d, ip: service.check_ask(
            brand, language=lang, title=d["title"], body=d["body"], name=d["name"], email=d["email"], ip=ip))  # fmt: skip
        if posted is not None:
            form = AskForm()
    threads = Thread.objects.filter(brand=brand, state=Post.PUBLISHED).order_by("-created_at")[:50]
    context = {"brand": brand, "lang": lang, "lang_query": "", "threads": threads, "form": form, "posted": posted}
    return _answer(render(request, "selfservice/community.html", context, status=status))


@require_http_methods(["GET", "POST"])
def community_thread(request: HttpRequest, brand_slug: str, thread_id: int) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    thread = Thread.objects.filter(pk=thread_id, brand=brand, state=Post.PUBLISHED).first()
    if thread is None:
        raise Http404
    form, posted, status = AnswerForm(request.POST or None), None, 200
    if request.method == "POST":
        posted, status = _post(request, form, lambda d, ip: service.check_answer(
            thread, body=d["body"], name=d["name"], email=d["email"], ip=ip))  # fmt: skip
        if posted is not None:
            form = AnswerForm()
    answers = list(Answer.objects.filter(thread=thread, state=Post.PUBLISHED).select_related("agent"))
    answers.sort(key=lambda a: (a.pk != thread.accepted_id, not a.official, a.created_at))
    context = {"brand": brand, "lang": language(request), "lang_query": "", "thread": thread, "answers": answers,
               "form": form, "posted": posted}  # fmt: skip
    return _answer(render(request, "selfservice/thread.html", context, status=status))
